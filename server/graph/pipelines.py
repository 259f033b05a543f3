"""Finding pipeline manifests: every <dir>/<id>/pipeline.json under the configured folders."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from schemas import describe_errors
from schemas.models.pipeline_manifest import PipelineManifest

MANIFEST_NAME = "pipeline.json"


@dataclass(frozen=True)
class ManifestProblem:
    """A manifest that was left out of the catalogue, and why."""

    path: str
    message: str


@dataclass(frozen=True)
class PipelineDiscovery:
    pipelines: dict[str, PipelineManifest]
    problems: list[ManifestProblem]


def _read_manifest(path: Path) -> PipelineManifest | ManifestProblem:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return ManifestProblem(str(path), f"{path} is not readable JSON ({exc}); fix the file.")
    errors = describe_errors("pipeline-manifest", document, limit=3)
    if errors:
        return ManifestProblem(
            str(path),
            f"{path} breaks schemas/pipeline-manifest.schema.json: {'; '.join(errors)}.",
        )
    manifest = PipelineManifest.model_validate(document)
    if manifest.id != path.parent.name:
        return ManifestProblem(
            str(path),
            f"{path} declares id '{manifest.id}' but lives in folder '{path.parent.name}'; "
            "name the folder after the id.",
        )
    return manifest


def discover_pipelines(search_dirs: list[Path]) -> PipelineDiscovery:
    """The valid manifests by id; the first folder that declares an id wins, later ones are reported."""
    pipelines: dict[str, PipelineManifest] = {}
    found_at: dict[str, Path] = {}
    problems: list[ManifestProblem] = []
    for directory in search_dirs:
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob(f"*/{MANIFEST_NAME}")):
            result = _read_manifest(path)
            if isinstance(result, ManifestProblem):
                problems.append(result)
            elif result.id in pipelines:
                problems.append(
                    ManifestProblem(
                        str(path),
                        f"{path} declares pipeline '{result.id}', already provided by "
                        f"{found_at[result.id]}; it is ignored. Rename one of them.",
                    )
                )
            else:
                pipelines[result.id] = result
                found_at[result.id] = path
    return PipelineDiscovery(pipelines, problems)
