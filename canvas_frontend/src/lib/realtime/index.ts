// The one Socket.IO connection of an open project (schemas/ws-events.schema.json): connect with
// {token, project_id}, reconnect with exponential backoff, emit with acks, report the connection status.
import { io, type Socket } from "socket.io-client";

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "offline" | "refused";

export interface Ack {
  ok: boolean;
  version?: number;
  task_id?: string;
  error?: { code: string; message: string };
}

export interface RealtimeHandlers {
  status(status: ConnectionStatus, detail?: string): void;
  /** After every (re)connect: the client must ask for the full state. */
  connected(): void;
  event(name: string, payload: unknown): void;
}

const ACK_TIMEOUT_MS = 15000;
// Sent just before the server closes a socket whose user lost access (README "Security model").
const CLOSING_NOTICES = new Set(["access_revoked", "signed_out"]);

export class ProjectConnection {
  private socket: Socket;
  private closingNotice?: string;

  constructor(projectId: string, token: string, handlers: RealtimeHandlers) {
    this.socket = io({
      path: "/ws/socket.io",
      auth: { token, project_id: projectId },
      transports: ["websocket"],
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 8000,
      randomizationFactor: 0.5,
    });
    handlers.status("connecting");
    this.socket.on("connect", () => {
      handlers.status("connected");
      handlers.connected();
    });
    this.socket.on("disconnect", (reason) => {
      if (reason === "io server disconnect") {
        // Closed by the server (access changed): final, and the reason is the notice that came before.
        handlers.status("refused", this.closingNotice ?? "The server closed the connection; open the project again.");
        return;
      }
      handlers.status(reason === "io client disconnect" ? "offline" : "reconnecting", reason);
    });
    this.socket.on("connect_error", (error) => {
      // A refusal by the server (bad token, no access) is final; a network error is retried with backoff.
      handlers.status(this.socket.active ? "reconnecting" : "refused", error.message);
    });
    this.socket.onAny((name: string, payload: unknown) => {
      const notice = payload as { code?: string; message?: string } | null;
      if (name === "server:notification" && CLOSING_NOTICES.has(notice?.code ?? ""))
        this.closingNotice = notice?.message;
      handlers.event(name, payload);
    });
  }

  async emit(event: string, payload: object): Promise<Ack> {
    try {
      return (await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload)) as Ack;
    } catch {
      return { ok: false, error: { code: "timeout", message: `No answer to ${event}; the change may not be saved.` } };
    }
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  close(): void {
    this.socket.disconnect();
  }
}
