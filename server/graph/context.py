"""The node catalogue and compile context of one project, from the server's settings (what dispatch calls)."""

from __future__ import annotations

from pathlib import Path

from schemas.models.project_manifest import Quality
from server.assets.documents import find_asset
from server.config import Settings
from server.graph.catalogue import Catalogue, load_catalogue
from server.graph.compiler import CompileContext
from server.graph.live_checks import GRAPH_CHECKERS
from server.graph.quality import load_quality_map
from server.graph.takes import RepoTakeStore
from server.graph.templates import LIBRARY_TEMPLATES_DIR, PROJECT_TEMPLATES_DIR


def template_dirs(settings: Settings, repo_root: Path | None) -> list[Path]:
    """Where templates are found: the project's own first, then the workspace Library's."""
    project = [repo_root / PROJECT_TEMPLATES_DIR] if repo_root is not None else []
    return [*project, settings.library_dir / LIBRARY_TEMPLATES_DIR]


def project_catalogue(settings: Settings, repo_root: Path | None) -> Catalogue:
    """Built-ins, the configured pipelines, and the templates a project (or, without one, the workspace) has."""
    return load_catalogue(settings.pipeline_search_dirs, template_dirs(settings, repo_root))


def project_compile_context(
    settings: Settings, repo_root: Path, quality: str, project_id: str | None = None
) -> CompileContext:
    """The project's catalogue, the workspace quality map, the project's own takes (and its checker, given its id)."""
    catalogue = project_catalogue(settings, repo_root)
    return CompileContext(
        catalogue=catalogue,
        quality=Quality(quality),
        quality_map=load_quality_map(settings.quality_map_file),
        takes=RepoTakeStore(repo_root),
        assets=lambda asset_id: find_asset(repo_root, asset_id),
        checker=GRAPH_CHECKERS.for_project(project_id, catalogue) if project_id is not None else None,
    )
