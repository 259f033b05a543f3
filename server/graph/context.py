"""The compile context of one project, from the server's settings (what dispatch calls)."""

from __future__ import annotations

from pathlib import Path

from schemas.models.project_manifest import Quality
from server.config import Settings
from server.graph.catalogue import load_catalogue
from server.graph.compiler import CompileContext
from server.graph.quality import load_quality_map
from server.graph.takes import RepoTakeStore


def project_compile_context(settings: Settings, repo_root: Path, quality: str) -> CompileContext:
    """Pipelines from the configured folders, the workspace quality map, the project's own takes."""
    return CompileContext(
        catalogue=load_catalogue(settings.pipeline_search_dirs),
        quality=Quality(quality),
        quality_map=load_quality_map(settings.quality_map_file),
        takes=RepoTakeStore(repo_root),
    )
