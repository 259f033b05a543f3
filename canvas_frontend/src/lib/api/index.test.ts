import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, createApi, getToken, setToken } from "./index";

/** A server that records each request and answers with `reply`. */
function server(reply: (request: Request) => Response) {
  const seen: Request[] = [];
  const api = createApi({
    baseUrl: "http://studio.test",
    fetch: async (request) => {
      seen.push(request.clone());
      return reply(request);
    },
  });
  return { api, seen };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

describe("the REST client", () => {
  beforeEach(() => {
    const stored = new Map<string, string>();
    vi.stubGlobal("sessionStorage", {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => void stored.set(key, value),
      removeItem: (key: string) => void stored.delete(key),
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("signs in with the password form and signs every later request with the token", async () => {
    const { api, seen } = server((request) =>
      request.url.endsWith("/auth/token")
        ? json({ access_token: "tok-1", token_type: "bearer" })
        : json({ username: "ada", is_admin: false }),
    );
    await api.login("ada", "s3cret pw");
    expect(getToken()).toBe("tok-1");
    expect(seen[0].headers.get("Content-Type")).toBe("application/x-www-form-urlencoded");
    expect(await seen[0].text()).toBe("username=ada&password=s3cret+pw");
    expect(await api.me()).toEqual({ username: "ada", is_admin: false });
    expect(seen[1].headers.get("Authorization")).toBe("Bearer tok-1");
  });

  it("fills path and query parameters, encoded", async () => {
    const { api, seen } = server(() => json([]));
    await api.takes("p 1", "shot/1");
    expect(seen[0].method).toBe("GET");
    expect(seen[0].url).toBe("http://studio.test/api/v1/projects/p%201/takes?node_id=shot%2F1");
  });

  it("throws the API's error sentence as an ApiError, and forgets a token the server refuses", async () => {
    setToken("stale");
    const { api } = server(() =>
      json({ error: { code: "authentication_failed", message: "Your session has ended; sign in again." } }, 401),
    );
    const refused = await api.listProjects().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 401, code: "authentication_failed" });
    expect((refused as ApiError).message).toBe("Your session has ended; sign in again.");
    expect(getToken()).toBeNull();
  });

  it("names the status when the answer is not the API's (a proxy's page)", async () => {
    const { api } = server(() => new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    await expect(api.nodeTypes()).rejects.toThrow("502 Bad Gateway");
  });

  it("uploads the file's own bytes with its type and name", async () => {
    const stored = {
      path: "01_Assets/Source_Media/voice-1a2b3c4d.wav",
      url: "/api/v1/projects/p1/files/01_Assets/Source_Media/voice-1a2b3c4d.wav",
      sha256: "0".repeat(64),
      size: 4,
      kind: "audio",
      socket_type: "Audio",
    };
    const { api, seen } = server(() => json(stored, 201));
    const uploaded = await api.upload("p1", new File(["RIFF"], "my voice.wav", { type: "audio/wav" }));
    expect(uploaded).toEqual(stored);
    expect(seen[0].url).toBe("http://studio.test/api/v1/projects/p1/uploads?filename=my%20voice.wav");
    expect(seen[0].headers.get("Content-Type")).toBe("audio/wav");
    expect(await seen[0].text()).toBe("RIFF");
  });
});
