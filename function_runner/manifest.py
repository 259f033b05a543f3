"""Finding and validating pipeline manifests (pipeline_images/<id>/pipeline.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from pydantic import ValidationError

from function_runner.errors import ManifestError, PipelineNotFoundError
from schemas import describe_errors
from schemas.models.pipeline_manifest import PipelineManifest

MANIFEST_FILE = "pipeline.json"
DEFAULT_ENTRYPOINT = ("python3", "main.py")
DEFAULT_TIMEOUT_S = 600
# Folders under pipeline_images/ that hold shared images, not pipelines.
NOT_PIPELINES = frozenset({"base"})


@dataclass(frozen=True)
class Pipeline:
    """A validated manifest together with the folder it came from."""

    manifest: PipelineManifest
    folder: Path

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def entrypoint(self) -> tuple[str, ...]:
        return tuple(self.manifest.entrypoint or DEFAULT_ENTRYPOINT)

    @property
    def timeout_s(self) -> int:
        return self.manifest.timeout_s or DEFAULT_TIMEOUT_S

    @property
    def serve(self) -> bool:
        return bool(self.manifest.serve)

    @property
    def gpu(self) -> bool:
        return self.manifest.resources.gpu


def load_pipeline(folder: Path) -> Pipeline:
    """Read and validate `folder/pipeline.json`; every problem is a ManifestError naming the field."""
    path = folder / MANIFEST_FILE
    label = folder.name
    if not path.is_file():
        raise ManifestError(
            f"Pipeline '{label}': {path} does not exist. Add a pipeline.json "
            "(`studio pipelines new <id>` scaffolds one).",
            pipeline_id=label,
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(
            f"Pipeline '{label}': {path} is not valid JSON ({exc}). Fix the syntax.", pipeline_id=label
        ) from exc
    problems = describe_errors("pipeline-manifest", document)
    if problems:
        raise ManifestError(
            f"Pipeline '{label}': {path} breaks the pipeline manifest schema: "
            + "; ".join(f"field {problem}" for problem in problems)
            + ". Fix these fields (schema: schemas/pipeline-manifest.schema.json).",
            pipeline_id=label,
        )
    try:
        manifest = PipelineManifest.model_validate(document)
    except ValidationError as exc:  # the schema and the model agree; kept for a clear message anyway
        raise ManifestError(f"Pipeline '{label}': {path}: {exc}", pipeline_id=label) from exc
    _check_consistency(manifest, folder, path)
    return Pipeline(manifest=manifest, folder=folder.resolve())


def _check_consistency(manifest: PipelineManifest, folder: Path, path: Path) -> None:
    """What the schema cannot say: id matches the folder, port names are unique, params is a schema."""
    if manifest.id != folder.name:
        raise ManifestError(
            f"Pipeline '{folder.name}': field 'id' is '{manifest.id}' but the folder is '{folder.name}'. "
            "Rename the folder or change the id so they match.",
            pipeline_id=folder.name,
        )
    for kind, ports in (("inputs", manifest.inputs), ("outputs", manifest.outputs)):
        names = [port.name for port in ports]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ManifestError(
                f"Pipeline '{manifest.id}': field '{kind}' names {', '.join(duplicates)} more than once. "
                "Give every port a unique name.",
                pipeline_id=manifest.id,
            )
    if manifest.params is not None:
        try:
            Draft202012Validator.check_schema(manifest.params)
        except SchemaError as exc:
            raise ManifestError(
                f"Pipeline '{manifest.id}': field 'params' is not a valid JSON Schema ({exc.message}). "
                f"Fix 'params' in {path}.",
                pipeline_id=manifest.id,
            ) from exc


def find_pipeline(pipelines_dir: Path, pipeline_id: str) -> Pipeline:
    folder = pipelines_dir / pipeline_id
    if pipeline_id in NOT_PIPELINES or "/" in pipeline_id or not (folder / MANIFEST_FILE).is_file():
        known = ", ".join(p.name for p in _pipeline_folders(pipelines_dir)) or "none"
        raise PipelineNotFoundError(
            f"Pipeline '{pipeline_id}' not found under {pipelines_dir} (known: {known}). "
            "Check the id or create it with `studio pipelines new`.",
            pipeline_id=pipeline_id,
        )
    return load_pipeline(folder)


def _pipeline_folders(pipelines_dir: Path) -> list[Path]:
    if not pipelines_dir.is_dir():
        return []
    return sorted(
        p
        for p in pipelines_dir.iterdir()
        if p.is_dir() and (p / MANIFEST_FILE).is_file() and p.name not in NOT_PIPELINES
    )


def discover_pipelines(pipelines_dir: Path) -> list[Pipeline]:
    """Every valid pipeline under `pipelines_dir`; an invalid one raises (it must be fixed, not hidden)."""
    return [load_pipeline(folder) for folder in _pipeline_folders(pipelines_dir)]
