"""The ComfyUI stand-in's HTTP and websocket server (aiohttp, like ComfyUI's own), on a free loopback port: the
routes (also under /api), request and response shapes, binary preview frames and queue semantics of ComfyUI's
server.py, with a prompt worker thread as in its main.py. Knobs let a test take node classes away, make a class
fail, or slow the sampler down to cancel mid-run."""

from __future__ import annotations

import asyncio
import struct
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

from tests.support.comfyui.execution import Executor, QueueItem, Validation, folder_of
from tests.support.comfyui.nodes import NODE_CLASSES, NodeClass, RunContext
from tests.support.postgres import free_port

PREVIEW_IMAGE = 1  # binary frame types, as ComfyUI's BinaryEventTypes
JPEG = 1


class ComfyUIStandIn:
    def __init__(
        self,
        root: Path,
        *,
        missing: frozenset[str] = frozenset(),
        step_delay_s: float = 0.0,
        history_delay_s: float = 0.0,
    ) -> None:
        self.root = root
        for kind in ("input", "output", "temp"):
            (root / kind).mkdir(parents=True, exist_ok=True)
        self.classes: dict[str, NodeClass] = {k: v for k, v in NODE_CLASSES.items() if k not in missing}
        self.step_delay_s = step_delay_s
        self.history_delay_s = history_delay_s  # a busy ComfyUI: execution_success well before the history write
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests: list[tuple[str, str]] = []  # (method, path) of every HTTP request, for assertions
        self.history: dict[str, dict[str, Any]] = {}
        self._queue: list[QueueItem] = []
        self._running: QueueItem | None = None
        self._number = 0
        self._interrupt = threading.Event()
        self._wake = threading.Condition()
        self._sockets: dict[str, web.WebSocketResponse] = {}
        self._client_id: str | None = None
        self._loop = asyncio.new_event_loop()
        self._stopping = False
        self.executor = Executor(self.classes, self._context, self._send_sync)
        self._threads = [
            threading.Thread(target=self._serve, name="comfyui-http", daemon=True),
            threading.Thread(target=self._prompt_worker, name="comfyui-worker", daemon=True),
        ]

    # -- lifecycle ------------------------------------------------------------------------------------------------

    def start(self) -> ComfyUIStandIn:
        ready = threading.Event()
        self._ready = ready
        for thread in self._threads:
            thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        """Interrupt what runs, let the worker finish it (its messages still go out), then close the server."""
        http, worker = self._threads
        self._stopping = True
        with self._wake:
            self._wake.notify_all()
        self._interrupt.set()
        worker.join(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        http.join(30)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        runner = web.AppRunner(self._app(), access_log=None)
        self._loop.run_until_complete(runner.setup())
        self._loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self._ready.set()
        self._loop.run_forever()
        for ws in list(self._sockets.values()):
            self._loop.run_until_complete(ws.close())
        self._loop.run_until_complete(runner.cleanup())
        self._loop.close()

    # -- routes ---------------------------------------------------------------------------------------------------

    def _app(self) -> web.Application:
        @web.middleware
        async def record(request: web.Request, handler: Any) -> web.StreamResponse:
            self.requests.append((request.method, request.path))
            return await handler(request)

        app = web.Application(middlewares=[record], client_max_size=100 * 1024 * 1024)
        routes = [
            web.get("/ws", self._websocket),
            web.get("/object_info", self._object_info),
            web.get("/object_info/{node_class}", self._object_info_node),
            web.get("/system_stats", self._system_stats),
            web.get("/prompt", self._prompt_info),
            web.post("/prompt", self._post_prompt),
            web.get("/queue", self._get_queue),
            web.post("/queue", self._post_queue),
            web.post("/interrupt", self._post_interrupt),
            web.get("/history", self._get_history),
            web.get("/history/{prompt_id}", self._get_history),
            web.post("/upload/image", self._upload),
            web.get("/view", self._view),
        ]
        # ComfyUI serves every route under /api too.
        app.add_routes([*routes, *(web.route(r.method, "/api" + r.path, r.handler) for r in routes)])
        return app

    def queue_info(self) -> dict[str, Any]:
        remaining = len(self._queue) + (1 if self._running else 0)
        return {"exec_info": {"queue_remaining": remaining}}

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        sid = request.rel_url.query.get("clientId", "") or uuid.uuid4().hex
        self._sockets[sid] = ws
        try:
            await ws.send_json({"type": "status", "data": {"status": self.queue_info(), "sid": sid}})
            async for message in ws:
                if message.type == WSMsgType.ERROR:
                    break
        finally:
            self._sockets.pop(sid, None)
        return ws

    async def _object_info(self, _request: web.Request) -> web.Response:
        return web.json_response({name: self._info(name) for name in self.classes})

    async def _object_info_node(self, request: web.Request) -> web.Response:
        name = request.match_info["node_class"]
        return web.json_response({name: self._info(name)} if name in self.classes else {})

    def _info(self, name: str) -> dict[str, Any]:
        info = self.classes[name].info()
        if name == "LoadImage":
            files = sorted(p.name for p in (self.root / "input").iterdir() if p.is_file())
            info["input"]["required"]["image"] = [files, {"image_upload": True}]
        return info

    async def _system_stats(self, _request: web.Request) -> web.Response:
        system = {
            "os": "posix",
            "comfyui_version": "0.3.60-standin",
            "python_version": "3.11",
            "embedded_python": False,
        }
        device = {"name": "cpu", "type": "cpu", "index": None, "vram_total": 0, "vram_free": 0}
        return web.json_response({"system": system, "devices": [device]})

    async def _prompt_info(self, _request: web.Request) -> web.Response:
        return web.json_response(self.queue_info())

    async def _post_prompt(self, request: web.Request) -> web.Response:
        body = await request.json()
        if "prompt" not in body:
            error = {"type": "no_prompt", "message": "No prompt provided", "details": "No prompt provided",
                     "extra_info": {}}  # fmt: skip
            return web.json_response({"error": error, "node_errors": {}}, status=400)
        prompt_id = str(body.get("prompt_id") or uuid.uuid4())
        valid, error, outputs, node_errors = Validation(body["prompt"], self.classes, self._validation_context).run()
        if not valid:
            return web.json_response({"error": error, "node_errors": node_errors}, status=400)
        extra = dict(body.get("extra_data", {}))
        if "client_id" in body:
            extra["client_id"] = body["client_id"]
        with self._wake:
            number = float(self._number)
            self._number += 1
            self._queue.append(QueueItem(number, prompt_id, body["prompt"], extra, outputs))
            self._wake.notify()
        await self._broadcast_status()
        return web.json_response({"prompt_id": prompt_id, "number": number, "node_errors": node_errors})

    async def _get_queue(self, _request: web.Request) -> web.Response:
        with self._wake:
            running = [self._running.as_list()] if self._running else []
            pending = [item.as_list() for item in self._queue]
        return web.json_response({"queue_running": running, "queue_pending": pending})

    async def _post_queue(self, request: web.Request) -> web.Response:
        body = await request.json()
        with self._wake:
            if body.get("clear"):
                self._queue.clear()
            for prompt_id in body.get("delete", []):
                self._queue = [item for item in self._queue if item.prompt_id != prompt_id]
        await self._broadcast_status()
        return web.Response(status=200)

    async def _post_interrupt(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else {}
        wanted = body.get("prompt_id") if isinstance(body, dict) else None
        running = self._running
        if wanted is None or (running is not None and running.prompt_id == wanted):
            self._interrupt.set()  # the running node stops at its next check
        return web.Response(status=200)

    async def _get_history(self, request: web.Request) -> web.Response:
        prompt_id = request.match_info.get("prompt_id")
        if prompt_id is None:
            return web.json_response(self.history)
        return web.json_response({prompt_id: self.history[prompt_id]} if prompt_id in self.history else {})

    async def _upload(self, request: web.Request) -> web.Response:
        post = await request.post()
        image = post.get("image")
        if not isinstance(image, web.FileField) or not image.filename:
            return web.Response(status=400)
        upload_type = str(post.get("type") or "input")
        folder = folder_of(self.root, upload_type)
        subfolder = str(post.get("subfolder", ""))
        if folder is None:
            return web.Response(status=400)
        target = (folder / subfolder / image.filename).resolve()
        if not target.is_relative_to(folder.resolve()):
            return web.Response(status=400)
        target.parent.mkdir(parents=True, exist_ok=True)
        content = image.file.read()
        name = image.filename
        if str(post.get("overwrite")) not in ("true", "1"):
            stem, suffix, counter = target.stem, target.suffix, 1
            while target.exists() and target.read_bytes() != content:
                name = f"{stem} ({counter}){suffix}"
                target, counter = target.with_name(name), counter + 1
        target.write_bytes(content)
        return web.json_response({"name": name, "subfolder": subfolder, "type": upload_type})

    async def _view(self, request: web.Request) -> web.StreamResponse:
        query = request.rel_url.query
        filename = query.get("filename", "")
        if not filename or filename.startswith("/") or ".." in filename:
            return web.Response(status=400)
        folder = folder_of(self.root, query.get("type", "output"))
        if folder is None:
            return web.Response(status=400)
        directory = (folder / query.get("subfolder", "")).resolve()
        if not directory.is_relative_to(folder.resolve()):
            return web.Response(status=403)
        file = directory / Path(filename).name
        if not file.is_file():
            return web.Response(status=404)
        return web.FileResponse(file, headers={"Content-Disposition": f'filename="{file.name}"'})

    # -- messages -------------------------------------------------------------------------------------------------

    def _send_sync(self, event: str, data: dict[str, Any], broadcast: bool) -> None:
        """From the worker thread, as ComfyUI's send_sync: to the prompt's client (or everyone)."""
        sid = None if broadcast else self._client_id
        if sid is None and not broadcast:
            return
        asyncio.run_coroutine_threadsafe(self._send(event, data, sid), self._loop).result(10)

    async def _send(self, event: str, data: dict[str, Any], sid: str | None) -> None:
        sockets = [self._sockets[sid]] if sid in self._sockets else [] if sid else list(self._sockets.values())
        for ws in sockets:
            if event == "preview":
                await ws.send_bytes(struct.pack(">I", PREVIEW_IMAGE) + struct.pack(">I", JPEG) + data["jpeg"])
            else:
                await ws.send_json({"type": event, "data": data})

    async def _broadcast_status(self) -> None:
        await self._send("status", {"status": self.queue_info()}, None)

    # -- the prompt worker ----------------------------------------------------------------------------------------

    def _prompt_worker(self) -> None:
        while True:
            with self._wake:
                while not self._queue and not self._stopping:
                    self._wake.wait()
                if self._stopping:
                    return
                item = self._queue.pop(0)
                self._running = item
            self._interrupt.clear()
            self._client_id = item.extra_data.get("client_id")
            outputs, status = self.executor.execute(item)
            time.sleep(self.history_delay_s)
            with self._wake:
                self.history[item.prompt_id] = {
                    "prompt": item.as_list(),
                    "outputs": outputs,
                    "status": status,
                    "meta": {n: {"node_id": n, "display_node": n, "parent_node": None, "real_node_id": n}
                             for n in outputs},
                }  # fmt: skip
                self._running = None
            self._send_sync("executing", {"node": None, "prompt_id": item.prompt_id}, False)
            self._client_id = None
            asyncio.run_coroutine_threadsafe(self._broadcast_status(), self._loop).result(10)

    def _validation_context(self, node_id: str) -> RunContext:
        return self._context("", node_id, {}, lambda *_: None)

    def _context(self, _prompt_id: str, node_id: str, prompt: dict[str, Any], progress: Any) -> RunContext:
        return RunContext(
            input_dir=self.root / "input",
            output_dir=self.root / "output",
            temp_dir=self.root / "temp",
            prompt=prompt,
            node_id=node_id,
            progress=progress,
            interrupted=self._interrupt.is_set,
            step_delay_s=self.step_delay_s,
        )
