"""Running a template on a ComfyUI server: check it has the node classes, upload the media inputs, write the values
and the seed into the workflow, queue it under a client id of its own, follow its websocket into progress, fetch
the outputs from its history. A cancel or the template's timeout removes the prompt from the queue and interrupts
it if it runs; whatever ComfyUI refuses or fails at is a sentence naming the node id and class."""

from __future__ import annotations

import hashlib
import shutil
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection

from function_runner.comfyui.client import ComfyUIClient, PromptRejected
from function_runner.comfyui.messages import Event, Message, Preview, parse_binary, parse_text
from function_runner.comfyui.template import MEDIA_SOCKETS, Template
from function_runner.comfyui.workflow import Workflow, describe_node, title_of, with_values
from function_runner.errors import (
    ComfyUIMissingNodesError,
    ComfyUIUnavailableError,
    ComfyUIWorkflowError,
    ContractViolationError,
    InputError,
    PipelineCancelledError,
    PipelineTimeoutError,
)
from function_runner.execution import CancelToken
from function_runner.jobs import FILE_EXTENSIONS

ProgressReport = Callable[[float, str], None]  # percent 0-100 of this run, what it is doing
POLL_S = 0.25  # how soon a cancel is noticed while ComfyUI is quiet
# ComfyUI sends execution_success (and, before it moved the message, `executing` null) from the executor, and
# writes the prompt's history only after: a finished prompt's history may be a moment late.
HISTORY_GRACE_S = 10.0
MAX_OUTPUT_BYTES = 8 * 2**30
HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class ComfyUIRun:
    """A finished run: the outputs (host paths in the job's out/) and what makes it reproducible."""

    template_id: str
    prompt_id: str
    prompt: Workflow  # the workflow as queued: the values, the uploaded file names and the seed written in
    outputs: dict[str, Path]
    job_dir: Path  # the caller's to remove once the outputs are taken
    duration_s: float
    comfyui_version: str | None
    uploads: dict[str, str] = field(default_factory=dict)  # input name -> the file name ComfyUI stored it under
    previews: int = 0  # preview frames the sampler sent
    cached_nodes: int = 0  # nodes ComfyUI did not run again (same inputs as before)


@dataclass
class _Progress:
    """Turns executing/progress/executed messages into a percentage: nodes done, plus the running one's part."""

    prompt: Workflow
    report: ProgressReport | None
    done: set[str] = field(default_factory=set)
    running: str | None = None

    def _send(self, part: float, step: str) -> None:
        if self.report is not None:
            total = max(len(self.prompt), 1)
            self.report(min(99.0, 100.0 * (len(self.done) + part) / total), step)

    def _name(self, node: str) -> str:
        return f"{title_of(self.prompt, node)} (node {node})" if node in self.prompt else f"node {node}"

    def on(self, message: Message) -> None:
        node = message.node
        if message.event is Event.EXECUTION_CACHED:
            self.done |= {n for n in message.data.get("nodes", []) if isinstance(n, str)}
            self._send(0, "cached nodes reused")
        elif message.event is Event.EXECUTING and node is not None:
            if self.running is not None:
                self.done.add(self.running)
            self.running = node
            self._send(0, self._name(node))
        elif message.event is Event.PROGRESS and node is not None:
            value, maximum = message.data.get("value"), message.data.get("max")
            if isinstance(value, int | float) and isinstance(maximum, int | float) and maximum > 0:
                self._send(min(value / maximum, 1.0), f"{self._name(node)}: step {value:g}/{maximum:g}")
        elif message.event is Event.EXECUTED and node is not None:
            self.done.add(node)


class ComfyUIRunner:
    def __init__(self, url: str, jobs_dir: Path, *, timeout_s: float = 30.0, max_output_bytes: int = MAX_OUTPUT_BYTES):
        self.url = url
        self.jobs_dir = jobs_dir
        self.timeout_s = timeout_s
        self.max_output_bytes = max_output_bytes

    def client(self) -> ComfyUIClient:
        return ComfyUIClient(self.url, self.timeout_s)

    def check(self, template: Template, client: ComfyUIClient | None = None) -> None:
        """Refuse early, before anything is uploaded or queued, when the server lacks a node class."""
        client = client or self.client()
        missing = sorted(name for name in template.node_classes if not client.has_node_class(name))
        if missing:
            raise ComfyUIMissingNodesError(
                f"ComfyUI at {client.url} lacks the node class(es) {', '.join(missing)} that template "
                f"'{template.id}' uses; install the custom nodes that provide them (e.g. with ComfyUI-Manager), "
                "restart ComfyUI, and generate again.",
                pipeline_id=template.id,
                missing=missing,
            )

    def run(
        self,
        template: Template,
        values: Mapping[str, Any],
        seed: int,
        *,
        on_progress: ProgressReport | None = None,
        token: CancelToken | None = None,
    ) -> ComfyUIRun:
        """`values`: input and param values by name (media inputs as host paths); None leaves the workflow's own."""
        token = token or CancelToken()
        client = self.client()
        self.check(template, client)
        started = time.monotonic()
        job_dir = self.jobs_dir / f"comfyui-{template.id}-{uuid.uuid4().hex[:12]}"
        (job_dir / "out").mkdir(parents=True)
        try:
            uploads: dict[str, str] = {}
            prompt = self._prompt(client, template, values, seed, uploads)
            prompt_id, previews, cached = self._follow(client, template, prompt, token, on_progress)
            outputs = self._fetch(client, template, prompt, prompt_id, job_dir)
            version = client.version()
        except BaseException:
            shutil.rmtree(job_dir, ignore_errors=True)
            raise
        if on_progress is not None:
            on_progress(100.0, "done")
        return ComfyUIRun(
            template_id=template.id,
            prompt_id=prompt_id,
            prompt=prompt,
            outputs=outputs,
            job_dir=job_dir,
            duration_s=time.monotonic() - started,
            comfyui_version=version,
            uploads=uploads,
            previews=previews,
            cached_nodes=cached,
        )

    # -- the prompt -----------------------------------------------------------------------------------------------

    def _prompt(
        self, client: ComfyUIClient, template: Template, values: Mapping[str, Any], seed: int, uploads: dict[str, str]
    ) -> Workflow:
        bindings = template.manifest.bindings
        unknown = sorted(set(values) - set(bindings))
        if unknown:
            raise InputError(
                f"Template '{template.id}' has no input or setting {', '.join(repr(n) for n in unknown)}; it takes "
                f"{', '.join(sorted(bindings))}.",
                pipeline_id=template.id,
            )
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
            raise InputError(f"Template '{template.id}': seed {seed!r} is not an integer in [0, 2^32).",
                             pipeline_id=template.id)  # fmt: skip
        assignments: list[tuple[Any, Any]] = []
        for name, value in values.items():
            if value is None:
                continue
            port = template.port(name)
            if port is not None and port.type in MEDIA_SOCKETS:
                value = uploads[name] = self._upload(client, template, name, Path(str(value)), port.type)
            assignments.extend((target, value) for target in bindings[name])
        assignments.extend((target, seed) for target in template.manifest.seed_inputs or [])
        return with_values(template.workflow, assignments)

    def _upload(self, client: ComfyUIClient, template: Template, name: str, path: Path, socket: Any) -> str:
        suffix = path.suffix.lower()
        if not path.is_file():
            raise InputError(f"Template '{template.id}': input '{name}' names {path}, which is not a file.",
                             pipeline_id=template.id)  # fmt: skip
        if suffix not in FILE_EXTENSIONS[socket]:
            raise InputError(
                f"Template '{template.id}': input '{name}' is a {socket.value}, but {path.name} is not one "
                f"({', '.join(sorted(FILE_EXTENSIONS[socket]))}).",
                pipeline_id=template.id,
            )
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(HASH_CHUNK), b""):
                digest.update(chunk)
        # Named by content: the same file is stored once, and two files never take each other's name.
        return client.upload(path, f"studio-{digest.hexdigest()[:16]}{suffix}")

    # -- following it ---------------------------------------------------------------------------------------------

    def _follow(
        self,
        client: ComfyUIClient,
        template: Template,
        prompt: Workflow,
        token: CancelToken,
        on_progress: ProgressReport | None,
    ) -> tuple[str, int, int]:
        """Queue the prompt and follow it to its end; returns (prompt id, preview frames, cached nodes)."""
        client_id = uuid.uuid4().hex
        with client.socket(client_id) as socket:  # opened first: no message of the prompt is missed
            try:
                prompt_id = client.submit(prompt, client_id, str(uuid.uuid4()))
            except PromptRejected as refusal:
                raise _refused(template, prompt, refusal) from None
            progress = _Progress(prompt, on_progress)
            previews, cached = 0, 0
            deadline = time.monotonic() + template.timeout_s
            while not token.cancelled and time.monotonic() < deadline:
                message = self._receive(socket, client, template, prompt_id)
                if isinstance(message, Preview):
                    previews += 1
                if not isinstance(message, Message):
                    continue
                if message.prompt_id not in (None, prompt_id):
                    continue  # another prompt's (interruptions are broadcast to every client)
                progress.on(message)
                if message.event is Event.EXECUTION_CACHED:
                    cached = len(message.data.get("nodes", []))
                elif message.event is Event.EXECUTION_ERROR:
                    raise _failed(template, prompt, message.data)
                elif message.event is Event.EXECUTION_INTERRUPTED:
                    raise ComfyUIWorkflowError(
                        f"ComfyUI stopped template '{template.id}' at {describe_node(prompt, message.node or '')}: "
                        "it was interrupted on the ComfyUI server (its Cancel button, or another client). Generate "
                        "again.",
                        pipeline_id=template.id,
                        node_id=message.node,
                        node_class=message.data.get("node_type"),
                    )
                elif message.event is Event.EXECUTION_SUCCESS or (
                    message.event is Event.EXECUTING and message.node is None and message.prompt_id == prompt_id
                ):
                    return prompt_id, previews, cached
            _stop(client, prompt_id)
            if token.cancelled:
                raise PipelineCancelledError(f"Template '{template.id}' was cancelled.", pipeline_id=template.id)
            raise PipelineTimeoutError(
                f"Template '{template.id}' ran longer than its timeout_s of {template.timeout_s} s on ComfyUI and was "
                "interrupted. Raise timeout_s in its template.json or give it less work.",
                pipeline_id=template.id,
            )

    def _receive(
        self, socket: ClientConnection, client: ComfyUIClient, template: Template, prompt_id: str
    ) -> Message | Preview | None:
        try:
            frame = socket.recv(timeout=POLL_S)
        except TimeoutError:
            return None
        except ConnectionClosed as exc:
            entry = client.history(prompt_id)
            if entry is not None and _dict(entry.get("status")).get("completed"):
                return Message(Event.EXECUTION_SUCCESS, prompt_id)
            raise ComfyUIUnavailableError(
                f"ComfyUI at {client.url} closed its websocket while running template '{template.id}' (prompt "
                f"{prompt_id}); it may have restarted. Generate again.",
                pipeline_id=template.id,
            ) from exc
        return parse_binary(frame) if isinstance(frame, bytes) else parse_text(frame)

    # -- the outputs ----------------------------------------------------------------------------------------------

    def _fetch(
        self, client: ComfyUIClient, template: Template, prompt: Workflow, prompt_id: str, job_dir: Path
    ) -> dict[str, Path]:
        entry = _finished_entry(client, prompt_id)
        if entry is None:
            raise ComfyUIUnavailableError(
                f"ComfyUI at {client.url} finished prompt {prompt_id} of template '{template.id}' but has no history "
                "of it (was its history cleared?). Generate again.",
                pipeline_id=template.id,
            )
        status = _dict(entry.get("status"))
        for item in status.get("messages", []) if status.get("status_str") == "error" else []:
            if isinstance(item, list) and len(item) == 2 and item[0] == Event.EXECUTION_ERROR:
                raise _failed(template, prompt, _dict(item[1]))
        produced = _dict(entry.get("outputs"))
        outputs: dict[str, Path] = {}
        for port in template.manifest.outputs:
            node = template.manifest.output_nodes[port.name]
            reference = _first_file(produced.get(node))
            if reference is None:
                raise ContractViolationError(
                    f"ComfyUI finished template '{template.id}', but its output '{port.name}' node "
                    f"{describe_node(prompt, node)} saved no file; check that node in the workflow.",
                    pipeline_id=template.id,
                )
            suffix = Path(str(reference["filename"])).suffix.lower()
            if suffix not in FILE_EXTENSIONS[port.type]:
                raise ContractViolationError(
                    f"Template '{template.id}': output '{port.name}' ({port.type.value}) came as "
                    f"{reference['filename']!r} from {describe_node(prompt, node)}, which is not a {port.type.value} "
                    f"file ({', '.join(sorted(FILE_EXTENSIONS[port.type]))}); change the output's type or the save "
                    "node.",
                    pipeline_id=template.id,
                )
            target = job_dir / "out" / f"{port.name}{suffix}"
            client.download(reference, target, self.max_output_bytes)
            outputs[port.name] = target
        return outputs


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _first_file(output: Any) -> dict[str, Any] | None:
    """The first file a node's UI output lists ({"images": [{filename, subfolder, type}]}, gifs, audio, …)."""
    for value in output.values() if isinstance(output, dict) else ():
        for item in value if isinstance(value, list) else ():
            if isinstance(item, dict) and isinstance(item.get("filename"), str) and item["filename"]:
                return item
    return None


def _stop(client: ComfyUIClient, prompt_id: str) -> None:
    """Take the prompt out of the queue, and interrupt it if it is the one running (not someone else's)."""
    try:
        client.delete_queued(prompt_id)
        running, _pending = client.queued()
        if prompt_id in running:
            client.interrupt(prompt_id)
    except ComfyUIUnavailableError:
        pass  # a server that is gone runs nothing of it either


def _failed(template: Template, prompt: Workflow, data: dict[str, Any]) -> ComfyUIWorkflowError:
    node = str(data.get("node_id", ""))
    node_class = str(data.get("node_type") or prompt.get(node, {}).get("class_type", "?"))
    message = str(data.get("exception_message", "")).strip() or "no message"
    kind = data.get("exception_type")
    return ComfyUIWorkflowError(
        f"ComfyUI failed at node '{node}' ({node_class}) of template '{template.id}': {message}"
        + (f" ({kind})" if kind else "")
        + ". Fix the workflow or its inputs, then generate again.",
        pipeline_id=template.id,
        node_id=node or None,
        node_class=node_class,
    )


def _refused(template: Template, prompt: Workflow, refusal: PromptRejected) -> ComfyUIWorkflowError:
    problems = []
    first: tuple[str | None, str | None] = (None, None)
    for node, found in refusal.node_errors.items() if isinstance(refusal.node_errors, dict) else ():
        node_class = found.get("class_type") if isinstance(found, dict) else None
        first = first if first[0] else (str(node), node_class)
        for error in found.get("errors", []) if isinstance(found, dict) else []:
            problems.append(f"node '{node}' ({node_class}): {error.get('message')}: {error.get('details')}")
    if not problems:
        details = refusal.error.get("details")
        problems.append(f"{refusal.error.get('message', 'refused')}" + (f" ({details})" if details else ""))
    return ComfyUIWorkflowError(
        f"ComfyUI refused template '{template.id}': {'; '.join(problems[:5])}. Fix the template's values or the "
        "workflow, then generate again.",
        pipeline_id=template.id,
        node_id=first[0],
        node_class=first[1],
    )


def _finished_entry(client: ComfyUIClient, prompt_id: str) -> dict[str, Any] | None:
    """The history entry of a prompt ComfyUI said it finished, waited for up to HISTORY_GRACE_S."""
    deadline = time.monotonic() + HISTORY_GRACE_S
    while (entry := client.history(prompt_id)) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return entry
