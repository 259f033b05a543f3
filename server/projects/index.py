"""`studio reindex`: rebuild the project index from the repositories in the workspace."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from server.config import Settings
from server.db.tables import Project, User
from server.errors import InvalidInputError
from server.projects.canvas import read_canvas
from server.projects.manifest import MANIFEST_FILE, read_manifest
from server.projects.naming import title_key


@dataclass
class ReindexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "<folder>: <why>"


def reindex(session: Session, settings: Settings) -> ReindexReport:
    """Index rows follow the repositories: new repos are added (owned by the first admin), rows whose
    folder is gone are removed, and the rest take title, settings and canvas from the repository."""
    report = ReindexReport()
    fallback_owner = session.exec(select(User).where(User.is_admin).order_by(col(User.id))).first()
    seen: set[str] = set()
    folders = sorted(p for p in settings.projects_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    for folder in folders:
        if not (folder / MANIFEST_FILE).exists():
            report.skipped.append(f"{folder.name}: no {MANIFEST_FILE}")
            continue
        try:
            manifest = read_manifest(folder)
            graph = read_canvas(folder, manifest.canvas_path)
        except (InvalidInputError, ValueError, OSError) as exc:
            report.skipped.append(f"{folder.name}: {exc}")
            continue
        seen.add(manifest.uuid)
        row = session.get(Project, manifest.uuid)
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
        row.slug = folder.name
        row.title = manifest.title
        row.title_key = title_key(manifest.title)
        row.description = manifest.description
        row.aspect_ratio = manifest.project_settings.aspect_ratio
        row.quality = manifest.project_settings.quality.value
        policy = manifest.project_settings.hardware_policy
        row.hardware_policy = policy.value if policy else "fallback"
        row.graph = json.dumps(graph)
        session.add(row)
    for row in session.exec(select(Project)):
        if row.id not in seen:
            report.removed.append(row.slug)
            session.delete(row)
    session.commit()
    return report
