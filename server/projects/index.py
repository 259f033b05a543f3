"""`studio reindex`: rebuild the project index from the repositories in the workspace."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from server.config import Settings
from server.db.tables import Project, User
from server.errors import StudioError
from server.projects.canvas import read_canvas
from server.projects.live_graph import drop_log
from server.projects.manifest import MANIFEST_FILE, read_manifest
from server.projects.naming import title_key


@dataclass
class ReindexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "<folder>: <why>"


def _row_for(session: Session, settings: Settings, folder_name: str, manifest_uuid: str) -> Project | str | None:
    """The index row of the repository in `folder_name`: the row of that folder, whatever its project.json
    says (its id is the database's, never a pushed uuid); or, for a folder the index does not know, the row
    its uuid names when that row's own folder is gone (the folder was renamed). A string says why not."""
    row = session.exec(select(Project).where(Project.slug == folder_name)).first()
    if row is not None:
        return row
    claimed = session.get(Project, manifest_uuid)
    if claimed is None:
        return None
    if (settings.projects_dir / claimed.slug).is_dir():
        return (
            f"{folder_name}: its {MANIFEST_FILE} carries the id of project '{claimed.slug}'; a copied project "
            "needs a new uuid (edit it, then reindex)"
        )
    return claimed


def project_folders(settings: Settings) -> list[Path]:
    """The folders reindex reads, in its order."""
    return sorted(p for p in settings.projects_dir.iterdir() if p.is_dir() and not p.name.startswith("."))


def reindex(session: Session, settings: Settings, on_folder: Callable[[str], None] | None = None) -> ReindexReport:
    """Index rows follow the repositories: new repos are added (owned by the first admin), rows whose
    folder is gone are removed, and the rest take title, settings and canvas from the repository.
    `on_folder` hears each folder's name as it is read (the CLI's progress)."""
    report = ReindexReport()
    fallback_owner = session.exec(select(User).where(User.is_admin).order_by(col(User.id))).first()
    seen: set[str] = set()
    for folder in project_folders(settings):
        if on_folder is not None:
            on_folder(folder.name)
        if not (folder / MANIFEST_FILE).exists():
            report.skipped.append(f"{folder.name}: no {MANIFEST_FILE}")
            continue
        try:
            manifest = read_manifest(folder)
            graph = read_canvas(folder, manifest.canvas_path)
        except (StudioError, ValueError, OSError) as exc:
            report.skipped.append(f"{folder.name}: {exc}")
            continue
        row = _row_for(session, settings, folder.name, manifest.uuid)
        if isinstance(row, str):
            report.skipped.append(row)
            continue
        if row is None:
            if fallback_owner is None or fallback_owner.id is None:
                report.skipped.append(f"{folder.name}: no admin user to own it (run `studio users add`)")
                continue
            row = Project(
                id=manifest.uuid,
                owner_id=fallback_owner.id,
                slug=folder.name,
                title="",
                title_key="",
                aspect_ratio="",
                quality="",
                graph="{}",
                version=manifest.version,
            )
            report.added.append(folder.name)
        else:
            report.updated.append(folder.name)
            # A new version: a server's cached live graph and every open canvas hold the old one, and only a
            # version they do not have makes them read the repository's graph (their next edit conflicts).
            row.version += 1
        seen.add(row.id)
        row.slug = folder.name
        row.title = manifest.title
        row.title_key = title_key(manifest.title)
        row.description = manifest.description
        row.aspect_ratio = manifest.project_settings.aspect_ratio
        row.quality = manifest.project_settings.quality.value
        policy = manifest.project_settings.hardware_policy
        row.hardware_policy = policy.value if policy else "fallback"
        row.graph = json.dumps(graph)
        row.graph_version = row.version
        drop_log(session, row.id)
        session.add(row)
    for row in session.exec(select(Project)):
        if row.id not in seen:
            report.removed.append(row.slug)
            session.delete(row)
    session.commit()
    return report
