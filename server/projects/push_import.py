"""Importing a pushed commit: when a push changes project.json or the canvas, the index row follows."""

from __future__ import annotations

import json
import logging

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from schemas.models.canvas_graph import CanvasGraph
from schemas.models.project_manifest import ProjectManifest
from schemas.models.ws_events import Level, ServerFullSync, ServerNotification
from server.db.tables import Project, utcnow
from server.events import EventSink
from server.projects.git import GitRepo
from server.projects.manifest import MANIFEST_FILE
from server.projects.naming import title_key

log = logging.getLogger(__name__)


def import_pushed_head(
    session: Session,
    repo: GitRepo,
    project: Project,
    before: str,
    after: str,
    base_version: int,
    events: EventSink | None,
) -> Project | None:
    """If `before..after` changed project.json or the canvas file, store the pushed graph and manifest
    fields as a new version and publish it as FULL_SYNC. Returns the updated row, or None (no change).

    The push was made on the live graph at `base_version` (saved as a commit before the push was taken);
    the pre-receive hook refused it if the live graph had moved on by then, and refused project files that
    do not parse. A live edit that lands in the moment between that check and this import is kept: the
    import is then skipped, said so to the project's clients, and the pushed canvas stays in history."""
    if before == after:
        return None
    manifest = ProjectManifest.model_validate_json(repo.run("show", f"{after}:{MANIFEST_FILE}"))
    changed = repo.run("diff", "--name-only", before, after, "--", MANIFEST_FILE, manifest.canvas_path)
    if not changed.strip():
        return None
    graph = CanvasGraph.model_validate_json(repo.run("show", f"{after}:{manifest.canvas_path}"))
    graph_json = graph.model_dump(mode="json", exclude_unset=True)
    values: dict[str, object] = {
        "graph": json.dumps(graph_json),
        "description": manifest.description,
        "aspect_ratio": manifest.project_settings.aspect_ratio,
        "quality": manifest.project_settings.quality.value,
        "version": col(Project.version) + 1,
        "graph_version": col(Project.version) + 1,
        "updated_at": utcnow(),
    }
    titled = {**values, "title": manifest.title, "title_key": title_key(manifest.title)}
    statement = update(Project).where(col(Project.id) == project.id, col(Project.version) == base_version)
    try:
        updated = session.execute(statement.values(**titled)).rowcount  # type: ignore[attr-defined]
        session.commit()
    except IntegrityError:
        # The pushed title collides with another of the owner's projects: keep the indexed title.
        session.rollback()
        log.warning("push to %s renames it to '%s', which the owner already uses", project.slug, manifest.title)
        updated = session.execute(statement.values(**values)).rowcount  # type: ignore[attr-defined]
        session.commit()
    session.refresh(project)
    if updated != 1:
        log.warning(
            "push to %s (%s) not imported: the live graph moved on to version %d", project.slug, after, project.version
        )
        if events is not None:
            message = (
                f"A push (commit {after[:10]}) changed the canvas while it was being edited here; the live edits "
                "were kept and the pushed canvas is in the project's history. Pull, merge and push again to use it."
            )
            events.publish(
                project.id, ServerNotification(level=Level.warning, code="push_not_imported", message=message)
            )
        return None
    if events is not None:
        events.publish(project.id, ServerFullSync(graph=graph, version=project.version))
    return project
