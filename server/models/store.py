"""The model store (<workspace>/Models, or STUDIO_MODEL_STORE): list, add, verify and remove models.

Each model is one folder `<store>/<name>/` (diffusers layout where the library has one) with its
record (function_runner.weights). Folders are written aside and renamed into place, so a store never
holds half a model; pipelines see it read-only.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from function_runner.sdk import MODEL_RECORD
from function_runner.weights import (
    WeightStatus,
    check_weight,
    hash_file,
    model_files,
    read_record,
    write_record,
)
from schemas.models.model_record import ModelRecord, Source
from schemas.models.pipeline_manifest import PipelineManifest, Weight
from server.config import Settings
from server.errors import ConflictError, InvalidInputError, NotFoundError
from server.graph.catalogue import load_catalogue

MODEL_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}")  # no leading dot: never "." or ".."


class ModelNotFoundError(NotFoundError):
    code = "model_not_found"


class ModelExistsError(ConflictError):
    code = "model_exists"


@dataclass(frozen=True)
class ModelEntry:
    """A model in the store, and the pipelines whose manifests name it."""

    name: str
    size: int
    files: int
    record: ModelRecord | None
    needed_by: tuple[str, ...]


@dataclass(frozen=True)
class Verification:
    """What `verify` found: files whose content moved from the record, and the pipelines' own checks."""

    name: str
    record: ModelRecord
    recorded_now: bool
    changed: tuple[str, ...]
    missing: tuple[str, ...]
    added: tuple[str, ...]
    pipelines: tuple[tuple[str, WeightStatus], ...]

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.added) and all(s.usable for _, s in self.pipelines)


def weights_by_model(manifests: Mapping[str, PipelineManifest]) -> dict[str, list[tuple[str, Weight]]]:
    """Model name -> (pipeline id, its declaration) for every manifest that declares it."""
    needed: dict[str, list[tuple[str, Weight]]] = {}
    for pipeline_id, manifest in sorted(manifests.items()):
        for weight in manifest.weights or []:
            needed.setdefault(weight.path, []).append((pipeline_id, weight))
    return needed


class ModelStore:
    def __init__(self, root: Path, manifests: Mapping[str, PipelineManifest]) -> None:
        self.root = root
        self.needed = weights_by_model(manifests)

    @classmethod
    def of(cls, settings: Settings) -> ModelStore:
        """This host's store, knowing what the pipelines it can find need."""
        return cls(settings.models_dir, load_catalogue(settings.pipeline_search_dirs).pipelines)

    def folder(self, name: str) -> Path:
        if not MODEL_NAME.fullmatch(name):  # fullmatch: `$` alone would let "name\n" through
            raise InvalidInputError(
                f"'{name}' is not a model name: use letters, digits, '.', '_' and '-' (e.g. stable-diffusion-v1-5).",
                field="name",
            )
        return self.root / name

    def existing(self, name: str) -> Path:
        folder = self.folder(name)
        if not folder.exists():
            known = ", ".join(entry.name for entry in self.list()) or "none"
            raise ModelNotFoundError(
                f"The model store {self.root} has no model '{name}' (it has: {known}). "
                f"Fetch it with `studio models pull {name}` or add a copy with `studio models add {name} PATH`.",
                field="name",
            )
        return folder

    def list(self) -> list[ModelEntry]:
        if not self.root.is_dir():
            return []
        entries = []
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir() and MODEL_NAME.fullmatch(p.name)):
            files = model_files(folder)
            entries.append(
                ModelEntry(
                    name=folder.name,
                    size=sum(path.stat().st_size for path in files),
                    files=len(files),
                    record=read_record(folder),
                    needed_by=tuple(pipeline for pipeline, _ in self.needed.get(folder.name, [])),
                )
            )
        return entries

    def default_source(self, name: str) -> Weight | None:
        """The first manifest declaration of this model that names a repository to pull it from."""
        return next((weight for _, weight in self.needed.get(name, []) if weight.repo), None)

    def add(self, name: str, source: Path) -> ModelRecord:
        """Copy a local model folder into the store and record it (the source is left as it was)."""
        target = self.folder(name)
        source = source.expanduser().resolve()
        if not source.is_dir():
            raise InvalidInputError(
                f"{source} is not a folder. Give the model's folder (for diffusers: the one with model_index.json).",
                field="path",
            )
        if target.exists():
            raise ModelExistsError(
                f"The model store already has '{name}'. Remove it first with `studio models rm {name}`.", field="name"
            )
        partial = self.root / f".{name}.adding"
        shutil.rmtree(partial, ignore_errors=True)
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copytree(source, partial, ignore=shutil.ignore_patterns(MODEL_RECORD, ".*"))
            record = write_record(partial, name, Source(added_from=str(source)))
            partial.rename(target)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
        return record

    def install(self, name: str, prepared: Path, source: Source, replace: bool) -> ModelRecord:
        """Record a fully downloaded folder and rename it into place (pull's last step)."""
        target = self.folder(name)
        record = write_record(prepared, name, source)
        if target.exists():
            if not replace:
                raise ModelExistsError(
                    f"The model store already has '{name}'. Pass --replace to swap it for the download.", field="name"
                )
            retired = self.root / f".{name}.replaced"
            shutil.rmtree(retired, ignore_errors=True)
            target.rename(retired)
            shutil.rmtree(retired)
        prepared.rename(target)
        return record

    def verify(self, name: str) -> Verification:
        """Hash every file again and compare with the record (recording a folder that has none)."""
        folder = self.existing(name)
        record = read_record(folder)
        recorded_now = record is None
        current = {path.relative_to(folder).as_posix(): path for path in model_files(folder)}
        changed: list[str] = []
        if record is None:
            record = write_record(folder, name, Source(added_from=str(folder)))
        else:
            changed = [
                rel
                for rel, path in current.items()
                if rel in record.files and hash_file(path) != record.files[rel].sha256
            ]
        pipelines = tuple(
            (pipeline, check_weight(self.root, weight, rehash=True)) for pipeline, weight in self.needed.get(name, [])
        )
        return Verification(
            name=name,
            record=record,
            recorded_now=recorded_now,
            changed=tuple(sorted(changed)),
            missing=tuple(sorted(set(record.files) - set(current))),
            added=tuple(sorted(set(current) - set(record.files))),
            pipelines=pipelines,
        )

    def remove(self, name: str) -> None:
        folder = self.existing(name)
        retired = self.root / f".{name}.removing"
        folder.rename(retired)  # gone from the store at once; the bytes are deleted after
        shutil.rmtree(retired)
