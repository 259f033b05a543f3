"""A Hugging Face Hub on loopback serving repositories the test writes (no hub is reachable here).

It answers the routes huggingface_hub's snapshot_download calls (read from its code): the revision
info `GET /api/models/<repo>/revision/<rev>`, the tree `GET /api/models/<repo>/tree/<commit>`, and
`HEAD`/`GET /<repo>/resolve/<commit>/<path>` with Range. Files ending in .safetensors are LFS files
(listed with their sha256), the rest are plain git blobs (listed with their git blob id).
`cut_once` sends only three quarters of a file's first download and drops the connection; `corrupt` serves other
bytes than the tree's hash says; `hold` sends half of a file's first download, sets `holding` and sends the rest only
once the test sets `released`. Every request is logged for the test to check.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def git_blob_id(content: bytes) -> str:
    return hashlib.sha1(f"blob {len(content)}\0".encode() + content, usedforsecurity=False).hexdigest()


@dataclass
class LocalHub:
    repos: dict[str, Path]  # repo id -> folder whose files are the repository at COMMIT
    cut_once: set[str] = field(default_factory=set)
    corrupt: set[str] = field(default_factory=set)
    hold: set[str] = field(default_factory=set)
    holding: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)  # method, path, Range
    url: str = ""

    def files(self, repo: str) -> dict[str, bytes]:
        root = self.repos[repo]
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    def tree_entry(self, path: str, content: bytes) -> dict[str, object]:
        entry: dict[str, object] = {"type": "file", "path": path, "size": len(content), "oid": git_blob_id(content)}
        if path.endswith(".safetensors"):
            sha256 = hashlib.sha256(content).hexdigest()
            entry["lfs"] = {"oid": sha256, "size": len(content), "pointerSize": 134}
        return entry


def _handler(hub: LocalHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:  # quiet: the hub keeps its own log
            return None

        def do_HEAD(self) -> None:
            self.serve(body=False)

        def do_GET(self) -> None:
            self.serve(body=True)

        def reply(self, status: int, payload: bytes, headers: dict[str, str], body: bool) -> None:
            self.send_response(status)
            for name, value in {"Content-Length": str(len(payload)), **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            if body:
                self.wfile.write(payload)

        def not_found(self, code: str, body: bool) -> None:
            self.reply(404, b'{"error": "not found"}', {"X-Error-Code": code, "Content-Type": "application/json"}, body)

        def serve(self, body: bool) -> None:
            path = unquote(urlsplit(self.path).path)
            hub.requests.append((self.command, path, self.headers.get("Range")))
            if path.startswith("/api/models/"):
                self.api(path.removeprefix("/api/models/"), body)
            else:
                self.resolve(path.lstrip("/"), body)

        def api(self, rest: str, body: bool) -> None:
            owner, name, kind, *revision = rest.split("/", 3)
            repo = f"{owner}/{name}"
            if repo not in hub.repos:
                return self.not_found("RepoNotFound", body)
            if revision and revision[0] not in ("main", COMMIT):
                return self.not_found("RevisionNotFound", body)
            files = hub.files(repo)
            if kind == "revision":
                document: object = {"id": repo, "sha": COMMIT, "siblings": [{"rfilename": p} for p in files]}
            else:
                document = [hub.tree_entry(p, c) for p, c in files.items()]
            self.reply(200, json.dumps(document).encode(), {"Content-Type": "application/json"}, body)
            return None

        def resolve(self, rest: str, body: bool) -> None:
            owner, name, _resolve, revision, filename = rest.split("/", 4)
            repo = f"{owner}/{name}"
            files = hub.files(repo) if repo in hub.repos else {}
            if filename not in files or revision not in ("main", COMMIT):
                return self.not_found("EntryNotFound", body)
            content = files[filename]
            entry = hub.tree_entry(filename, content)
            lfs = entry.get("lfs")
            etag = lfs["oid"] if isinstance(lfs, dict) else entry["oid"]
            headers = {"X-Repo-Commit": COMMIT, "ETag": f'"{etag}"', "Accept-Ranges": "bytes"}
            if filename in hub.corrupt:
                content = bytes(b ^ 0xFF for b in content)
            start = int(self.headers["Range"].removeprefix("bytes=").split("-")[0]) if self.headers["Range"] else 0
            if body and filename in hub.cut_once and start == 0:
                hub.cut_once.discard(filename)
                self.send_response(200)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content[: len(content) * 3 // 4])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
                return None
            if body and filename in hub.hold and start == 0:
                hub.hold.discard(filename)
                self.send_response(200)
                for name, value in {"Content-Length": str(len(content)), **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(content[: len(content) // 2])
                self.wfile.flush()
                hub.holding.set()
                hub.released.wait(60)
                self.wfile.write(content[len(content) // 2 :])
                return None
            status = 206 if start else 200
            if start:
                headers["Content-Range"] = f"bytes {start}-{len(content) - 1}/{len(content)}"
            self.reply(status, content[start:], headers, body)
            return None

    return Handler


@contextmanager
def local_hub(repos: dict[str, Path]) -> Iterator[LocalHub]:
    """A running hub on 127.0.0.1 (a free port) for the duration of the block."""
    hub = LocalHub(repos)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hub))
    server.daemon_threads = True
    hub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
