"""ComfyUI's HTTP API and websocket, one call per route it serves; a server that does not answer is a
ComfyUIUnavailableError naming the address, whatever the call."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from websockets.exceptions import InvalidHandshake, InvalidURI
from websockets.sync.client import ClientConnection, connect

from function_runner.errors import ComfyUIUnavailableError

DOWNLOAD_CHUNK = 1 << 20
FIX = "start it, or point STUDIO_COMFYUI_URL at a running ComfyUI"


class PromptRejected(Exception):
    """POST /prompt answered 400: ComfyUI's own validation refused the workflow."""

    def __init__(self, error: dict[str, Any], node_errors: dict[str, Any]) -> None:
        super().__init__(error.get("message", "prompt refused"))
        self.error = error
        self.node_errors = node_errors


class ComfyUIClient:
    def __init__(self, url: str, timeout_s: float = 30.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ComfyUIUnavailableError(
                f"STUDIO_COMFYUI_URL={url!r} is not an http(s) address; set it to e.g. http://127.0.0.1:8188."
            )
        self.url = url.rstrip("/")
        self.ws_url = ("wss" if parts.scheme == "https" else "ws") + self.url[len(parts.scheme) :] + "/ws"
        self.timeout_s = timeout_s
        self.session = requests.Session()

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            return self.session.request(method, self.url + path, timeout=self.timeout_s, **kwargs)
        except requests.ConnectionError as exc:
            raise ComfyUIUnavailableError(f"ComfyUI at {self.url} does not answer ({_reason(exc)}); {FIX}.") from exc
        except requests.Timeout as exc:
            raise ComfyUIUnavailableError(
                f"ComfyUI at {self.url} did not answer {method} {path} within {self.timeout_s:g} s; check that it is "
                "not stuck, or " + FIX + "."
            ) from exc

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._call(method, path, **kwargs)
        if response.status_code != 200:
            raise ComfyUIUnavailableError(
                f"ComfyUI at {self.url} answered {method} {path} with HTTP {response.status_code}; is this address a "
                f"ComfyUI server? {FIX[0].upper()}{FIX[1:]}."
            )
        try:
            return response.json()
        except ValueError as exc:
            raise ComfyUIUnavailableError(
                f"ComfyUI at {self.url} answered {method} {path} with something that is not JSON; is this address a "
                "ComfyUI server?"
            ) from exc

    def node_classes(self) -> frozenset[str]:
        """Every node class the server has (GET /object_info; large with many custom nodes)."""
        found = self._json("GET", "/object_info")
        return frozenset(found) if isinstance(found, dict) else frozenset()

    def has_node_class(self, name: str) -> bool:
        found = self._json("GET", f"/object_info/{quote(name, safe='')}")
        return isinstance(found, dict) and name in found

    def version(self) -> str | None:
        stats = self._json("GET", "/system_stats")
        version = stats.get("system", {}).get("comfyui_version") if isinstance(stats, dict) else None
        return version if isinstance(version, str) else None

    def upload(self, path: Path, name: str) -> str:
        """Put a file in ComfyUI's input folder (POST /upload/image takes any media); returns the name to use."""
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        with path.open("rb") as handle:
            body = self._json(
                "POST",
                "/upload/image",
                files={"image": (name, handle, media_type)},
                data={"type": "input", "overwrite": "true"},
            )
        stored, subfolder = str(body.get("name", name)), str(body.get("subfolder", ""))
        return f"{subfolder}/{stored}" if subfolder else stored

    def submit(self, prompt: dict[str, Any], client_id: str, prompt_id: str) -> str:
        """Queue the prompt; returns its id (ComfyUI before prompt_id was accepted makes its own)."""
        body = {"prompt": prompt, "client_id": client_id, "prompt_id": prompt_id}
        response = self._call("POST", "/prompt", json=body)
        answer = _json_of(response)
        if response.status_code == 400:
            error = answer.get("error")
            raise PromptRejected(
                error if isinstance(error, dict) else {"message": str(error)}, answer.get("node_errors") or {}
            )
        if response.status_code != 200 or not isinstance(answer.get("prompt_id"), str):
            raise ComfyUIUnavailableError(
                f"ComfyUI at {self.url} answered POST /prompt with HTTP {response.status_code}; check its log."
            )
        return str(answer["prompt_id"])

    def history(self, prompt_id: str) -> dict[str, Any] | None:
        found = self._json("GET", f"/history/{quote(prompt_id, safe='')}")
        entry = found.get(prompt_id) if isinstance(found, dict) else None
        return entry if isinstance(entry, dict) else None

    def queued(self) -> tuple[list[str], list[str]]:
        """The ids of the running and of the pending prompts."""
        queue = self._json("GET", "/queue")

        def ids(items: Any) -> list[str]:
            return [str(item[1]) for item in items if isinstance(item, list) and len(item) > 1]

        return ids(queue.get("queue_running", [])), ids(queue.get("queue_pending", []))

    def delete_queued(self, prompt_id: str) -> None:
        self._call("POST", "/queue", json={"delete": [prompt_id]})

    def interrupt(self, prompt_id: str) -> None:
        # Newer ComfyUI interrupts only this prompt; older ones whatever runs, so callers check it is ours first.
        self._call("POST", "/interrupt", json={"prompt_id": prompt_id})

    def download(self, reference: dict[str, Any], target: Path, max_bytes: int) -> int:
        """GET /view for a file of a history entry's outputs, streamed to `target`; returns its size."""
        params = {key: str(reference.get(key, "")) for key in ("filename", "subfolder", "type")}
        response = self._call("GET", "/view", params=params, stream=True)
        if response.status_code != 200:
            raise ComfyUIUnavailableError(
                f"ComfyUI at {self.url} did not serve its output {params['filename']!r} (HTTP {response.status_code})."
            )
        size = 0
        with target.open("wb") as handle:
            for chunk in response.iter_content(DOWNLOAD_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise ComfyUIUnavailableError(
                        f"ComfyUI's output {params['filename']!r} is larger than {max_bytes // 2**20} MiB; it was not "
                        "taken."
                    )
                handle.write(chunk)
        return size

    @contextmanager
    def socket(self, client_id: str) -> Iterator[ClientConnection]:
        """The websocket of `client_id`: ComfyUI sends it the messages of the prompts it queues."""
        try:
            connection = connect(f"{self.ws_url}?clientId={quote(client_id)}", open_timeout=self.timeout_s,
                                 max_size=64 * 2**20)  # fmt: skip
        except (OSError, InvalidHandshake, InvalidURI, TimeoutError) as exc:
            raise ComfyUIUnavailableError(
                f"ComfyUI at {self.url} refused its websocket ({exc.__class__.__name__}: {exc}); {FIX}."
            ) from exc
        with connection:
            yield connection


def _json_of(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _reason(exc: requests.ConnectionError) -> str:
    text = str(exc.args[0] if exc.args else exc)
    for marker in ("Connection refused", "Name or service not known", "No route to host", "timed out"):
        if marker in text:
            return marker.lower()
    return exc.__class__.__name__
