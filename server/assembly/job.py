"""tasks.assembly.render_final_video on the worker: export the EDLs the render follows, render into 06_Exports
(each render its own new file: server.assembly.renders)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from schemas.models.ws_events import ServerRendersUpdated
from server.assembly.exports import write_exports
from server.assembly.plan import render_plan
from server.assembly.render import render
from server.assembly.renders import Rendered, node_renders, publish_render
from server.assembly.target import EXPORTS_DIR, RenderSpec
from server.assembly.timeline import build_timeline
from server.config import Settings
from server.db.tables import utcnow
from server.jobs.context import JobContext
from server.jobs.kinds import JobKind
from server.jobs.lifecycle import JobSuccess, JobTimeout
from server.projects.paths import new_file
from server.takes.media import take_media

log = logging.getLogger(__name__)
EXPORTED_AT = 5.0  # percent of the job done once the EDLs are written


class RenderFinalVideo:
    kind = JobKind.RENDER_FINAL_VIDEO
    spec_type = RenderSpec
    noun = "render"

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine  # to list the node's renders when announcing this one

    def timeout(self) -> JobTimeout:
        return JobTimeout(self.settings.render_timeout_s, "STUDIO_RENDER_TIMEOUT_S", "render a shorter sequence")

    def inputs(self, spec: RenderSpec) -> None:
        """Every file: the timeline's takes are found while it is built (a stateless worker fetches all)."""
        return None

    def run(self, context: JobContext, spec: RenderSpec) -> JobSuccess:
        repo = context.repo
        timeline = build_timeline(spec.sequence, repo.root, lambda path: take_media(path, context.processes))
        write_exports(repo, timeline, spec.sequence.node_id, context.author)  # the EDL the render follows
        context.progress(EXPORTED_AT, "exported EDL, OTIO and XML")
        plan = render_plan(timeline, repo.root)
        exports = new_file(repo.root, spec.output_path, folder=EXPORTS_DIR).parent
        exports.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".render-", dir=exports) as folder:
            finished = Path(folder) / f"render{Path(spec.output_path).suffix}"
            chosen = render(
                plan,
                finished,
                lambda percent: context.progress(EXPORTED_AT + (100 - EXPORTED_AT) / 100 * percent, "rendering"),
                context.processes,
            )
            output_path = publish_render(repo.root, finished, spec.output_path)
        log.info("render %s: %d frames by %s into %s", context.task_id, plan.total_frames, chosen.value, output_path)
        just_done = Rendered(context.task_id, output_path, utcnow(), spec)
        with Session(self.engine) as session:
            renders = node_renders(session, context.project.id, context.node_id, repo.root, just_done)
        return JobSuccess(
            output_path=output_path,
            announcements=(ServerRendersUpdated(node_id=context.node_id, renders=renders),),
        )
