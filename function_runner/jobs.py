"""The job-directory contract: in/request.json and file inputs in, out/ and out/result.json back."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from function_runner.errors import ContractViolationError, InputError
from function_runner.manifest import Pipeline
from schemas import describe_errors, media_types
from schemas.models.pipeline_manifest import Port
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


# Socket types carried as files, with the extensions each accepts (lower case, with the dot).
FILE_EXTENSIONS: dict[SocketType, frozenset[str]] = {
    **_media_extensions(),
    SocketType.EDL: frozenset({".edl", ".otio", ".xml"}),
}
_PRIMITIVE_SCHEMAS: dict[SocketType, dict[str, Any]] = {
    SocketType.String: {"type": "string"},
    SocketType.Integer: {"type": "integer"},
    SocketType.Float: {"type": "number"},
    SocketType.Boolean: {"type": "boolean"},
    SocketType.AssetReference: {"type": "string"},
    SocketType.PipelineReference: {"type": "string"},
}


@dataclass(frozen=True)
class RunRequest:
    """What the caller asks for: file inputs are host paths, the runner copies them into the job."""

    inputs: Mapping[str, Any] = field(default_factory=dict)
    params: Mapping[str, Any] = field(default_factory=dict)
    seed: int = 0


@dataclass(frozen=True)
class RunResult:
    pipeline_id: str
    job_dir: Path
    outputs: dict[str, Path]
    metadata: dict[str, Any]
    backend: str
    duration_s: float


@dataclass(frozen=True)
class Progress:
    progress: float
    step: str


def parse_progress(line: str) -> Progress | None:
    """A stdout line as progress, or None for anything else (log lines are allowed and ignored)."""
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
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        return None
    step = event.get("step", "")
    return Progress(progress=float(value), step=step if isinstance(step, str) else str(step))


def is_file_socket(socket: SocketType) -> bool:
    return socket in FILE_EXTENSIONS


def prepare_job(pipeline: Pipeline, request: RunRequest, job_dir: Path) -> dict[str, Any]:
    """Validate the request against the manifest and lay out job_dir; returns request.json's content."""
    declared = {port.name: port for port in pipeline.manifest.inputs}
    unknown = sorted(set(request.inputs) - set(declared))
    if unknown:
        raise InputError(
            f"Pipeline '{pipeline.id}': unknown input {', '.join(repr(u) for u in unknown)}. "
            f"It takes: {', '.join(declared) or 'no inputs'}.",
            pipeline_id=pipeline.id,
        )
    params = _checked_params(pipeline, request.params)
    if isinstance(request.seed, bool) or not isinstance(request.seed, int) or not 0 <= request.seed < 2**32:
        raise InputError(
            f"Pipeline '{pipeline.id}': seed {request.seed!r} is not an integer in [0, 2^32). Pass such a seed.",
            pipeline_id=pipeline.id,
        )
    (job_dir / "in").mkdir(parents=True)
    out = job_dir / "out"
    out.mkdir()
    out.chmod(0o777)  # the pipeline runs as nobody (65534) and writes here
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
    document = {"inputs": inputs, "params": params, "seed": request.seed}
    problems = describe_errors("run-request", document)
    if problems:  # only a runner bug gets here: inputs and params were checked above
        raise InputError(f"Pipeline '{pipeline.id}': request breaks run-request schema: {'; '.join(problems)}")
    (job_dir / REQUEST_FILE).write_text(json.dumps(document, indent=2), encoding="utf-8")
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
    metadata = result.get("metadata", {})
    declared = {port.name: port for port in pipeline.manifest.outputs}
    given: dict[str, Any] = result["outputs"]
    extra = sorted(set(given) - set(declared))
    if extra:
        raise broken(f"out/result.json names undeclared output(s) {', '.join(extra)}. Declare them in pipeline.json.")
    out_dir = (job_dir / "out").resolve()
    outputs: dict[str, Path] = {}
    for name, port in declared.items():
        if name not in given:
            raise broken(f"output '{name}' ({port.type.value}) is missing from out/result.json. Write it.")
        filename = given[name]
        if not isinstance(filename, str) or not filename:
            raise broken(f"output '{name}' must be a file name inside out/, got {filename!r}.")
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
    return outputs, metadata


def reset_outputs(job_dir: Path) -> None:
    """Before a retry: an empty out/ so nothing of the lost attempt can pass as a result."""
    out = job_dir / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    out.chmod(0o777)
