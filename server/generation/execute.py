"""The worker side of a generation: run each planned step in its container, commit its take, report."""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from function_runner.errors import RunnerError
from function_runner.execution import CancelToken
from function_runner.jobs import Progress, RunRequest
from server.config import Settings
from server.db.tables import Project, Task, TaskState, User, utcnow
from server.dispatch.placement import vram_needed_gb
from server.errors import StudioError
from server.events import EventSink, ServerEvent
from server.generation.decision import Dispatch
from server.generation.runtime import PipelineRunners
from server.generation.slots import slot_for
from server.graph.compiler import PRIMITIVE_SOCKETS, compile_node
from server.graph.context import project_compile_context
from server.graph.plan import InputSource, ResolvedInput, Step
from server.projects.git import GitRepo, studio_author
from server.projects.paths import existing_file
from server.takes.store import Take, commit_take, list_takes

log = logging.getLogger(__name__)
CANCEL_POLL_S = 0.5
FINISHED = (TaskState.SUCCEEDED, TaskState.CANCELLED)


@dataclass(frozen=True)
class Worker:
    """What a worker process brings to every task it runs."""

    settings: Settings
    engine: Engine
    runners: PipelineRunners
    events: EventSink
    queue: str


def files_url(project_id: str, path: str) -> str:
    return f"/api/v1/projects/{project_id}/files/{path}"


def take_json(project_id: str, take: Take) -> dict[str, Any]:
    return {
        "path": take.path,
        "take": take.number,
        "url": files_url(project_id, take.path),
        "thumbnail_url": files_url(project_id, take.thumbnail) if take.thumbnail else None,
        "pipeline": take.sidecar.pipeline.id,
        "created_at": take.sidecar.timings.finished_at.isoformat(),
    }


class Generation:
    """One run of one task (a re-delivered task runs again; its take is made at most once)."""

    def __init__(self, worker: Worker, task_id: str) -> None:
        self.worker = worker
        self.task_id = task_id
        self.token = CancelToken()
        self._finished = threading.Event()

    def _update(self, **values: Any) -> Task | None:
        with Session(self.worker.engine, expire_on_commit=False) as session:
            task = session.get(Task, self.task_id)
            if task is None:
                return None
            for name, value in values.items():
                setattr(task, name, value)
            task.updated_at = utcnow()
            session.add(task)
            session.commit()
            return task

    def _publish(self, project_id: str, event: ServerEvent, payload: dict[str, Any]) -> None:
        self.worker.events.publish(project_id, event, payload)

    def run(self) -> None:
        with Session(self.worker.engine, expire_on_commit=False) as session:
            task = session.get(Task, self.task_id)
            if task is None or task.state in FINISHED or task.node_id is None:
                return  # unknown, cancelled before it started, or already done (a re-delivery)
            project = session.get(Project, task.project_id)
            user = session.get(User, task.user_id) if task.user_id else None
        if project is None:
            self._update(state=TaskState.FAILED, error="The project was deleted.", finished_at=utcnow())
            return
        node_id = task.node_id
        queued_at = task.created_at
        self._update(state=TaskState.RUNNING, started_at=utcnow(), attempts=task.attempts + 1, error=None)
        self._publish(
            project.id,
            ServerEvent.NODE_STATE_UPDATED,
            {"node_id": node_id, "state": "generating", "task_id": self.task_id},
        )
        watcher = threading.Thread(target=self._watch_for_cancel, daemon=True)
        watcher.start()
        try:
            take = self._generate(
                project,
                node_id,
                Dispatch.from_json(json.loads(task.dispatch)),
                queued_at,
                user.username if user else "studio",
            )
        except (StudioError, RunnerError) as exc:
            self._fail(project.id, node_id, exc.message)
            return
        except Exception as exc:
            log.exception("generation %s failed", self.task_id)
            self._fail(project.id, node_id, f"The worker failed unexpectedly ({exc.__class__.__name__}: {exc}).")
            return
        finally:
            self._finished.set()
        self._update(state=TaskState.SUCCEEDED, progress=100.0, take_path=take.path, finished_at=utcnow())
        repo_root = self.worker.settings.projects_dir / project.slug
        takes = [take_json(project.id, t) for t in list_takes(repo_root, slot_for(json.loads(project.graph), node_id))]
        self._publish(project.id, ServerEvent.TAKES_UPDATED, {"node_id": node_id, "takes": takes})
        self._publish(
            project.id,
            ServerEvent.TASK_SUCCESS,
            {
                "task_id": self.task_id,
                "node_id": node_id,
                "result": {"output_url": files_url(project.id, take.path), "take": take_json(project.id, take)},
            },
        )
        self._publish(
            project.id, ServerEvent.NODE_STATE_UPDATED, {"node_id": node_id, "state": "done", "task_id": self.task_id}
        )

    def _watch_for_cancel(self) -> None:
        """A cancel is a state change in the database (any API process may make it): poll it, kill the run."""
        while not self._finished.wait(CANCEL_POLL_S):
            with Session(self.worker.engine) as session:
                task = session.get(Task, self.task_id)
                if task is not None and task.state is TaskState.CANCELLED:
                    self.token.cancel()
                    return

    def _fail(self, project_id: str, node_id: str, message: str) -> None:
        with Session(self.worker.engine) as session:
            task = session.get(Task, self.task_id)
            if task is not None and task.state is TaskState.CANCELLED:
                return  # the cancel already set the state and told the clients (node back to idle)
        self._update(state=TaskState.FAILED, error=message, finished_at=utcnow())
        self._publish(
            project_id, ServerEvent.TASK_FAILED, {"task_id": self.task_id, "node_id": node_id, "error": message}
        )
        self._publish(
            project_id, ServerEvent.NODE_STATE_UPDATED, {"node_id": node_id, "state": "failed", "task_id": self.task_id}
        )

    def _generate(self, project: Project, node_id: str, dispatch: Dispatch, queued_at: Any, author: str) -> Take:
        settings = self.worker.settings
        repo = GitRepo(settings.projects_dir / project.slug, settings.git_timeout_seconds)
        graph = json.loads(project.graph)
        context = project_compile_context(settings, repo.root, dispatch.quality_requested)
        chosen = context.catalogue.pipelines.get(dispatch.pipeline_id)
        if chosen is not None:
            # The same tier as decided at dispatch: nothing heavier than the pipeline chosen then.
            limit = vram_needed_gb(chosen, dispatch.quality_requested)
            context = replace(context, fits=lambda m: vram_needed_gb(m, dispatch.quality_requested) <= limit)
        plan = compile_node(graph, node_id, context)
        produced: dict[str, Take] = {}
        for index, step in enumerate(plan.steps):
            progress = _scaled_progress(self, project.id, step.node_id, index, len(plan.steps))
            produced[step.node_id] = self._run_step(
                repo, project, graph, step, dispatch, queued_at, author, produced, progress
            )
        return produced[node_id]

    def _run_step(
        self,
        repo: GitRepo,
        project: Project,
        graph: dict[str, Any],
        step: Step,
        dispatch: Dispatch,
        queued_at: Any,
        author: str,
        produced: dict[str, Take],
        on_progress: Callable[[Progress], None],
    ) -> Take:
        assert step.pipeline is not None
        runner = self.worker.runners.for_pipeline(step.pipeline.pipeline_id)
        pipeline = runner.pipeline(step.pipeline.pipeline_id)
        declared = {port.name for port in pipeline.manifest.inputs}
        inputs: dict[str, Any] = {}
        for item in step.inputs:
            if item.name not in declared or item.source is InputSource.PIPELINE:
                continue
            if item.source in (InputSource.WIDGET, InputSource.DEFAULT) and item.socket_type in PRIMITIVE_SOCKETS:
                inputs[item.name] = item.value
            elif item.source in (InputSource.WIDGET, InputSource.DEFAULT):
                # A file widget holds a project-relative path (an upload); the runner copies files by host path.
                inputs[item.name] = str(existing_file(repo.root, str(item.value)))
            elif item.source is InputSource.STEP:
                inputs[item.name] = str(existing_file(repo.root, produced[str(item.value)].path))
            elif isinstance(item.value, list):
                inputs[item.name] = [str(existing_file(repo.root, p)) for p in item.value]
            else:
                inputs[item.name] = str(existing_file(repo.root, str(item.value)))
        accepted = (pipeline.manifest.params or {}).get("properties", {})
        # A node's own settings (shot id, task type, label…) are not the pipeline's: pass what it declares.
        params = {name: value for name, value in step.params.items() if name in accepted}
        if "aspect_ratio" in accepted and "aspect_ratio" not in params:
            params["aspect_ratio"] = project.aspect_ratio  # the project's framing, where the pipeline takes one
        started = utcnow()
        result = runner.run(
            pipeline.id, RunRequest(inputs, params, step.seed), on_progress=on_progress, token=self.token
        )
        output = next((port.name for port in pipeline.manifest.outputs if port.name in result.outputs), None)
        if output is None:
            raise StudioError(f"Pipeline '{pipeline.id}' returned no output.")
        sidecar = {
            "node_id": step.node_id,
            "task_id": self.task_id,
            "cache_key": step.cache_key,
            "pipeline": {
                "id": pipeline.id,
                "version": pipeline.manifest.version,
                "image": pipeline.manifest.image,
                "image_digest": step.pipeline.image_digest,
                "backend": result.backend,
            },
            "params": params,
            # What ran, as a generative pipeline reports it (weights hash, library versions, call arguments).
            "model": result.metadata.get("provenance"),
            "seed": step.seed,
            "inputs": {i.name: _recorded(i) for i in step.inputs if i.source is not InputSource.PIPELINE},
            "quality": {
                "requested": dispatch.quality_requested,
                "used": step.pipeline.used_quality or dispatch.quality_requested,
                "fallback_reason": step.pipeline.fallback,
            },
            "worker": {"host": socket.gethostname(), "gpu": None, "queue": self.worker.queue},
            "timings": {
                "queued_at": queued_at.isoformat(),
                "started_at": started.isoformat(),
                "finished_at": utcnow().isoformat(),
                "run_seconds": round(result.duration_s, 3),
            },
            "output": {"name": output, "media": {k: v for k, v in result.metadata.items() if k != "provenance"}},
        }
        return commit_take(repo, slot_for(graph, step.node_id), result.outputs[output], sidecar, studio_author(author))


def _recorded(item: ResolvedInput) -> dict[str, Any]:
    """An input as the take's sidecar keeps it: a typed value, or a file with the hash of its content."""
    if item.source is InputSource.DEFAULT or (
        item.source is InputSource.WIDGET and item.socket_type in PRIMITIVE_SOCKETS
    ):
        return {"value": item.value}
    return {"path": str(item.value), "sha256": item.content_hash}


def _scaled_progress(
    generation: Generation, project_id: str, node_id: str, index: int, steps: int
) -> Callable[[Progress], None]:
    """Progress of step `index` of `steps`, reported as the whole task's 0-100."""

    def report(event: Progress) -> None:
        overall = (index * 100 + event.progress) / steps
        generation.worker.events.publish(
            project_id,
            ServerEvent.TASK_PROGRESS,
            {"task_id": generation.task_id, "node_id": node_id, "progress": round(overall, 1), "step": event.step},
        )

    return report
