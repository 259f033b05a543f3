"""Reading and writing project.json, validated against schemas/project-manifest."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from schemas.models.project_manifest import ProjectManifest
from server.errors import InvalidInputError

MANIFEST_FILE = "project.json"


def read_manifest(repo_root: Path) -> ProjectManifest:
    path = repo_root / MANIFEST_FILE
    try:
        return ProjectManifest.model_validate_json(path.read_bytes())
    except FileNotFoundError as exc:
        raise InvalidInputError(
            f"{repo_root.name}/{MANIFEST_FILE} is missing; this folder is not a studio project."
        ) from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(root)"
        raise InvalidInputError(
            f"{repo_root.name}/{MANIFEST_FILE} is not a valid project manifest: {where}: {first['msg']}."
        ) from exc


def manifest_bytes(manifest: ProjectManifest) -> bytes:
    """Canonical on-disk form: stable key order and indentation keep git diffs small."""
    return (json.dumps(manifest.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n").encode()


def write_manifest(repo_root: Path, manifest: ProjectManifest) -> None:
    target = repo_root / MANIFEST_FILE
    temporary = target.with_name(f".{MANIFEST_FILE}.tmp")
    temporary.write_bytes(manifest_bytes(manifest))
    temporary.replace(target)
