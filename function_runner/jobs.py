"""The job-directory contract: in/request.json and file inputs in, out/ and out/result.json back."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from pydantic import ValidationError

from function_runner.errors import ContractViolationError, InputError
from function_runner.manifest import Pipeline
from schemas import describe_errors, media_types
from schemas.models.pipeline_manifest import Port
from schemas.models.run_progress import ProgressMetrics, RunProgress
from schemas.models.run_request import Gates, RunRequest, SfwGate
from schemas.models.run_result import RunResult
from schemas.models.socket_type import SocketType

REQUEST_FILE = "in/request.json"
RESULT_FILE = "out/result.json"


def _media_extensions() -> dict[SocketType, frozenset[str]]:
    """The media socket types and the extensions each takes, from schemas/media-types.json."""
    table = media_types()
    found: dict[SocketType, set[str]] = {}
    for extension, media in table.extensions.items():
        for socket in getattr(table.kinds, media.kind.value).socket_types:
            found.setdefault(socket, set()).add(f".{extension}")
    return {socket: frozenset(extensions) for socket, extensions in found.items()}


# Socket types carried as files, with the extensions each accepts (lower case, with the dot). An asset reaches a
# pipeline as the file of its trained version: a LoRA's weights.
FILE_EXTENSIONS: dict[SocketType, frozenset[str]] = {
    **_media_extensions(),
    SocketType.EDL: frozenset({".edl", ".otio", ".xml"}),
    SocketType.AssetReference: frozenset({".safetensors"}),
}
_PRIMITIVE_SCHEMAS: dict[SocketType, dict[str, Any]] = {
    SocketType.String: {"type": "string"},
    SocketType.Integer: {"type": "integer"},
    SocketType.Float: {"type": "number"},
    SocketType.Boolean: {"type": "boolean"},
    SocketType.PipelineReference: {"type": "string"},
}


def parse_progress(line: str) -> RunProgress | None:
    """A stdout line as progress (schemas/run-progress), or None for anything else (log lines are allowed)."""
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        event = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(event, dict):
        return None
    value = event.get("progress")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    step = event.get("step", "")
    try:
        # A step that is not text is still shown, as text; one longer than the schema allows is cut.
        progress = RunProgress(progress=value, step=(step if isinstance(step, str) else str(step))[:200])
    except ValidationError:  # a progress outside 0-100
        return None
    # Metrics that break the schema are dropped; the progress itself still counts.
    with contextlib.suppress(ValidationError):
        progress.metrics = ProgressMetrics.model_validate(event["metrics"]) if "metrics" in event else None
    return progress


def give_to_pipeline(path: Path, user: str, *, with_contents: bool = True) -> None:
    """`path` and what it holds belong to the user pipelines run as, and to nobody else (folders 0700, files 0600):
    a container running as that user reads its inputs and writes its outputs there, no other user can. Only root
    can hand files to another user; a runner that is not root runs pipelines as itself (RunnerConfig.user)."""
    uid, gid = (int(part) for part in user.split(":"))
    for item in [path, *(path.rglob("*") if with_contents else ())]:
        if item.is_symlink():
            continue
        item.chmod(0o700 if item.is_dir() else 0o600)
        if os.geteuid() == 0:
            os.chown(item, uid, gid)


def is_file_socket(socket: SocketType) -> bool:
    return socket in FILE_EXTENSIONS


def prepare_job(
    pipeline: Pipeline, request: RunRequest, job_dir: Path, user: str, *, sfw_threshold: float | None
) -> RunRequest:
    """Validate the request against the manifest and lay out job_dir for a pipeline running as `user`; returns
    request.json's content. A gated pipeline gets the studio's gates (`sfw_threshold`, None: switched off) after
    the node's params: whatever the request carried in `gates` is replaced."""
    declared = {port.name: port for port in pipeline.manifest.inputs}
    unknown = sorted(set(request.inputs) - set(declared))
    if unknown:
        raise InputError(
            f"Pipeline '{pipeline.id}': unknown input {', '.join(repr(u) for u in unknown)}. "
            f"It takes: {', '.join(declared) or 'no inputs'}.",
            pipeline_id=pipeline.id,
        )
    params = _checked_params(pipeline, request.params)
    (job_dir / "in").mkdir(parents=True)
    (job_dir / "out").mkdir()
    inputs: dict[str, Any] = {}
    for name, port in declared.items():
        if name not in request.inputs or request.inputs[name] is None:
            if port.default is not None:
                inputs[name] = port.default
            elif port.required:
                raise InputError(
                    f"Pipeline '{pipeline.id}': required input '{name}' ({port.type.value}) is missing. "
                    "Connect or give it a value.",
                    pipeline_id=pipeline.id,
                )
            continue
        value = request.inputs[name]
        values = value if port.multiple and isinstance(value, list | tuple) else [value]
        staged = [_stage_input(pipeline, port, item, job_dir, index) for index, item in enumerate(values)]
        inputs[name] = staged if port.multiple and isinstance(value, list | tuple) else staged[0]
    gated = {gate.value for gate in pipeline.manifest.gated or []}
    gates = Gates(sfw=SfwGate(threshold=sfw_threshold)) if "sfw" in gated and sfw_threshold is not None else None
    document = RunRequest(inputs=inputs, params=params, seed=request.seed, gates=gates)
    written = document.model_dump_json(indent=2, exclude={"gates"} if gates is None else None)
    (job_dir / REQUEST_FILE).write_text(written, encoding="utf-8")
    give_to_pipeline(job_dir, user)
    return document


def _checked_params(pipeline: Pipeline, given: Mapping[str, Any]) -> dict[str, Any]:
    schema = pipeline.manifest.params or {"type": "object"}
    params = dict(given)
    for name, spec in (schema.get("properties") or {}).items():
        if name not in params and isinstance(spec, dict) and "default" in spec:
            params[name] = spec["default"]
    errors = sorted(Draft202012Validator(schema).iter_errors(params), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.absolute_path) or "(params)"
        raise InputError(
            f"Pipeline '{pipeline.id}': param '{where}' is invalid: {error.message}. "
            "Give a value that the manifest's params schema allows.",
            pipeline_id=pipeline.id,
        )
    return params


def _stage_input(pipeline: Pipeline, port: Port, value: Any, job_dir: Path, index: int) -> Any:
    socket = port.type
    if not is_file_socket(socket):
        schema = {**_PRIMITIVE_SCHEMAS[socket], **(port.constraints or {})}
        error = next(iter(Draft202012Validator(schema).iter_errors(value)), None)
        if error is not None:
            raise InputError(
                f"Pipeline '{pipeline.id}': input '{port.name}' expects a {socket.value}, got {value!r} "
                f"({error.message}). Pass a {socket.value}.",
                pipeline_id=pipeline.id,
            )
        return value
    if not isinstance(value, str | Path):
        raise InputError(
            f"Pipeline '{pipeline.id}': input '{port.name}' expects a {socket.value} file path, "
            f"got {value!r}. Pass the path of a file.",
            pipeline_id=pipeline.id,
        )
    source = Path(value)
    if not source.is_file():
        raise InputError(
            f"Pipeline '{pipeline.id}': input '{port.name}' file {source} does not exist. Pass an existing file.",
            pipeline_id=pipeline.id,
        )
    suffix = source.suffix.lower()
    allowed = FILE_EXTENSIONS[socket]
    if suffix not in allowed:
        raise InputError(
            f"Pipeline '{pipeline.id}': input '{port.name}' expects a {socket.value} "
            f"({', '.join(sorted(allowed))}) but got '{source.name}'. Connect a {socket.value} output.",
            pipeline_id=pipeline.id,
        )
    name = f"{port.name}{suffix}" if index == 0 else f"{port.name}_{index}{suffix}"
    shutil.copyfile(source, job_dir / "in" / name)
    return name


def read_result(pipeline: Pipeline, job_dir: Path, stdout_tail: str = "") -> tuple[dict[str, Path], dict[str, Any]]:
    """Check out/result.json against the manifest; returns output paths and metadata."""
    path = job_dir / RESULT_FILE
    hint = f" Last stdout: {stdout_tail!r}." if stdout_tail else ""

    def broken(what: str) -> ContractViolationError:
        return ContractViolationError(f"Pipeline '{pipeline.id}': {what}{hint}", pipeline_id=pipeline.id)

    if not path.is_file() or path.is_symlink():
        raise broken("exited 0 but wrote no out/result.json. The entrypoint must finish with sdk.write_outputs(...).")
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise broken(f"out/result.json is not valid JSON ({exc}). Write it with sdk.write_outputs(...).") from exc
    problems = describe_errors("run-result", result)
    if problems:
        raise broken(
            "out/result.json breaks the run-result schema: "
            + "; ".join(f"field {problem}" for problem in problems)
            + '. Write {"outputs": {name: filename}, "metadata": {...}} with sdk.write_outputs().'
        )
    written = RunResult.model_validate(result)
    metadata = written.metadata or {}
    declared = {port.name: port for port in pipeline.manifest.outputs}
    given = written.outputs
    extra = sorted(set(given) - set(declared))
    if extra:
        raise broken(f"out/result.json names undeclared output(s) {', '.join(extra)}. Declare them in pipeline.json.")
    out_dir = (job_dir / "out").resolve()
    outputs: dict[str, Path] = {}
    for name, port in declared.items():
        if name not in given and port.optional:
            continue
        if name not in given:
            raise broken(f"output '{name}' ({port.type.value}) is missing from out/result.json. Write it.")
        filename = given[name]
        target = (out_dir / filename).resolve()
        if not target.is_relative_to(out_dir) or (out_dir / filename).is_symlink():
            raise broken(f"output '{name}' file {filename!r} is outside out/. Write outputs into out/.")
        if not target.is_file() or target.stat().st_size == 0:
            raise broken(f"output '{name}' file out/{filename} is missing or empty. Write the file before result.json.")
        if is_file_socket(port.type) and target.suffix.lower() not in FILE_EXTENSIONS[port.type]:
            raise broken(
                f"output '{name}' is declared {port.type.value} but out/{filename} is not "
                f"({', '.join(sorted(FILE_EXTENSIONS[port.type]))}). Write the declared type."
            )
        outputs[name] = target
    if not outputs:  # every output is optional, and none was written
        raise broken(f"out/result.json names none of the outputs {', '.join(declared)}. Write at least one.")
    return outputs, metadata


def reset_outputs(job_dir: Path, user: str) -> None:
    """Before a retry: an empty out/ so nothing of the lost attempt can pass as a result."""
    out = job_dir / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    give_to_pipeline(out, user)
