"""The model store as pipelines need it: is each declared model there, in the right format, with the right files.

`<store>/<name>/` holds one model (diffusers layout where the library has one) plus its record,
`.studio-model.json` (schema model-record): every file's sha256, size and mtime as `studio models`
last hashed them. Checks read the record instead of re-reading gigabytes; a file whose size or mtime
moved since is hashed again when a run needs it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from function_runner.errors import RunnerError
from function_runner.sdk import MODEL_RECORD
from schemas.models.model_record import ModelRecord, RecordedFile, Source
from schemas.models.pipeline_manifest import Format, PipelineManifest, Weight

MODEL_INDEX = "model_index.json"
CHUNK = 1 << 20
CHECKPOINT_SUFFIXES = (".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".gguf")
STORE_LABEL = "<model store>"


class WeightsError(RunnerError):
    """A model a pipeline needs is missing, not in the declared format, or not the expected files."""

    def __init__(self, message: str, *, pipeline_id: str | None, fix: str) -> None:
        super().__init__(message, pipeline_id=pipeline_id)
        self.fix = fix


@dataclass(frozen=True)
class WeightStatus:
    """One declared model in the store: `problem` is None when it is usable."""

    weight: Weight
    problem: str | None = None
    fix: str | None = None

    @property
    def name(self) -> str:
        return self.weight.path

    @property
    def usable(self) -> bool:
        return self.problem is None


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(hashes: dict[str, str]) -> str:
    """One hash for a whole model: over the sorted 'path sha256' lines of its files."""
    lines = "".join(f"{path} {sha}\n" for path, sha in sorted(hashes.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def model_files(folder: Path) -> list[Path]:
    """Every file of a model folder except its record and hidden download leftovers, sorted."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def read_record(folder: Path) -> ModelRecord | None:
    try:
        return ModelRecord.model_validate_json((folder / MODEL_RECORD).read_bytes())
    except (OSError, ValidationError):
        return None


def share_with_pipelines(folder: Path) -> None:
    """Every folder and file readable by anyone: pipelines run as nobody and see the store read-only.

    Libraries save weights 0600 (transformers does), and a copy keeps that mode; weights are no secret.
    """
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        path.chmod(path.stat().st_mode | (0o555 if path.is_dir() else 0o444))


def write_record(folder: Path, name: str, source: Source) -> ModelRecord:
    """Hash every file of the folder and write its record (in place: the folder is the studio's own);
    the folder is shared read-only with the pipelines' user on the way."""
    share_with_pipelines(folder)
    files: dict[str, RecordedFile] = {}
    for path in model_files(folder):
        stat = path.stat()
        files[path.relative_to(folder).as_posix()] = RecordedFile(
            sha256=hash_file(path), size=stat.st_size, mtime_ns=stat.st_mtime_ns
        )
    record = ModelRecord(
        schema_version=1,
        name=name,
        source=source,
        files=files,
        fingerprint=fingerprint({path: entry.sha256 for path, entry in files.items()}),
        recorded_at=datetime.now(UTC),
    )
    partial = folder / f"{MODEL_RECORD}.partial"
    partial.write_text(record.model_dump_json(indent=2, exclude_none=True), encoding="utf-8")
    partial.chmod(0o644)
    partial.replace(folder / MODEL_RECORD)
    return record


def current_sha256(folder: Path, relative: str, record: ModelRecord | None, rehash: bool) -> str | None:
    """The file's sha256: the recorded one while size and mtime are unchanged, else hashed now (if rehash)."""
    path = folder / relative
    stat = path.stat()
    entry = record.files.get(relative) if record else None
    if entry is not None and (entry.size, entry.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
        return entry.sha256
    return hash_file(path) if rehash else None


def fix_command(weight: Weight) -> str:
    """What brings the model into the store: a pull from its hub repository, else adding a local copy."""
    return f"studio models pull {weight.path}" if weight.repo else f"studio models add {weight.path} PATH"


def shown(weight: Weight, relative: str = "") -> str:
    """A model's file as messages name it: under the store, never the host's absolute path (project members read
    these messages; where the store lies on the server is the admin's, and `studio models list` prints it)."""
    return f"{STORE_LABEL}/{weight.path}" + (f"/{relative}" if relative else "")


def check_weight(store: Path, weight: Weight, *, rehash: bool = False) -> WeightStatus:
    """Whether a declared model is usable. Without `rehash` (listings) nothing large is read."""
    location = store / weight.path
    pull = fix_command(weight)
    source = f" (from {weight.repo})" if weight.repo else ""
    if not location.resolve().is_relative_to(store.resolve()) or not location.exists():
        missing = f"the model '{weight.path}' ({weight.name}) is not in the model store (expected {shown(weight)}). "
        if weight.repo:
            fix = f"Fetch it with `{pull}`{source}, or add a local copy with `studio models add {weight.path} PATH`."
        else:  # e.g. Wav2Lip, insightface's buffalo_l: published as downloads, not as a hub repository
            what = f" ({weight.description.rstrip('.')})" if weight.description else ""
            fix = f"It has no hub repository to pull from: add a local copy with `{pull}`{what}."
        return WeightStatus(weight, missing + fix, pull)
    if (weight.format or Format.diffusers) is Format.diffusers:
        problem = _diffusers_layout_problem(location)
        if problem:
            return WeightStatus(
                weight,
                f"{shown(weight)} is not a diffusers model folder: {problem}. The pipeline loads the diffusers layout "
                f"(from_pretrained); get a complete copy with `{pull}`{source}.",
                pull,
            )
    elif weight.format is Format.folder:
        if not location.is_dir():
            return WeightStatus(weight, f"{shown(weight)} is a file, but the pipeline expects a folder there.", pull)
    elif not location.is_file():
        return WeightStatus(weight, f"{shown(weight)} is a folder, but the pipeline expects one file there.", pull)
    return _check_hashes(location, weight, rehash, pull)


def _diffusers_layout_problem(folder: Path) -> str | None:
    if not folder.is_dir():
        return "it is a file (a single-file checkpoint?), not a folder"
    index = folder / MODEL_INDEX
    if not index.is_file():
        checkpoints = [p.name for p in folder.iterdir() if p.suffix in CHECKPOINT_SUFFIXES]
        looks = f" (it holds {', '.join(sorted(checkpoints)[:3])}: a single-file checkpoint?)" if checkpoints else ""
        return f"{MODEL_INDEX} is missing{looks}"
    try:
        components = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return f"{MODEL_INDEX} is not readable JSON ({exc})"
    if not isinstance(components, dict):
        return f"{MODEL_INDEX} is not a JSON object"
    missing = sorted(
        name
        for name, value in components.items()
        if not name.startswith("_") and isinstance(value, list) and all(value) and not (folder / name).is_dir()
    )
    if missing:
        return f"{MODEL_INDEX} names the component folder(s) {', '.join(missing)}, which are missing"
    return None


def _check_hashes(location: Path, weight: Weight, rehash: bool, pull: str) -> WeightStatus:
    expected = dict(weight.files or {})
    if weight.sha256 and location.is_file():
        expected[""] = weight.sha256
    folder = location if location.is_dir() else location.parent
    record = read_record(folder) if location.is_dir() else None
    for relative, want in sorted(expected.items()):
        path = (location / relative) if relative else location
        named = shown(weight, relative)
        if not path.is_file():
            return WeightStatus(
                weight, f"{named} is missing from the model '{weight.path}'. Get a complete copy with `{pull}`.", pull
            )
        got = current_sha256(folder, path.relative_to(folder).as_posix(), record, rehash)
        if got is None:
            verify = f"studio models verify {weight.path}"
            return WeightStatus(
                weight, f"{named} changed since the model was last verified. Check it with `{verify}`.", verify
            )
        if got != want:
            return WeightStatus(
                weight,
                f"{named} has sha256 {got[:12]}… but the pipeline expects {want[:12]}…: another or a damaged copy. "
                f"Get the expected files with `{pull}`"
                + (f" (revision {weight.revision})" if weight.revision else "")
                + ", or correct 'files' in pipeline.json if this copy is the one you mean.",
                pull,
            )
    return WeightStatus(weight)


def weights_status(manifest: PipelineManifest, store: Path) -> list[WeightStatus]:
    """Every declared model's status, without reading large files (for listings and validation)."""
    return [check_weight(store, weight) for weight in manifest.weights or []]


def require_weights(manifest: PipelineManifest, store: Path) -> None:
    """Before a run: every required model usable (changed files hashed again); else a WeightsError."""
    for weight in manifest.weights or []:
        status = check_weight(store, weight, rehash=True)
        if not status.usable and not weight.optional:
            raise WeightsError(
                f"Pipeline '{manifest.id}': {status.problem}", pipeline_id=manifest.id, fix=status.fix or ""
            )
