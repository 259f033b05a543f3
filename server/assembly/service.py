"""Assembly for the API and the socket: export a Sequence, import an edit onto it, start its final render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemas.models.graph_ops import UpdateNodeDataOp
from schemas.models.ws_events import ServerGraphPatch
from server.assembly.exports import Exported, write_exports
from server.assembly.importer import MatchedClip, import_format, imported_sequence, read_timeline
from server.assembly.sequence import DEFAULT_FPS, read_sequence, sequence_node, take_ref
from server.assembly.target import render_spec
from server.assembly.timeline import build_timeline
from server.db.tables import Task, User
from server.dispatch.capabilities import CPU_QUEUE
from server.errors import InvalidInputError
from server.events import EventSink
from server.jobs.service import TaskService
from server.projects.git import studio_author
from server.projects.graph_ops import ops_json
from server.projects.service import Access, GraphEdit, ProjectService

MAX_IMPORT_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    edit: GraphEdit
    clips: list[MatchedClip]
    transitions: list[dict[str, Any]]


class AssemblyService:
    def __init__(self, projects: ProjectService, events: EventSink, tasks: TaskService) -> None:
        self.projects = projects
        self.events = events
        self.tasks = tasks

    def export(self, user: User, project_id: str, node_id: str) -> Exported:
        project = self.projects.open(user, project_id, Access.WRITE).project
        repo = self.projects.repo(project)
        sequence = read_sequence(self.projects.live_graph(project), node_id, repo)
        return write_exports(repo, build_timeline(sequence, repo.root), node_id, studio_author(user.username))

    def import_edit(
        self, user: User, project_id: str, node_id: str, filename: str, content: bytes | None
    ) -> ImportResult:
        project = self.projects.open(user, project_id, Access.WRITE).project
        if content is None:
            raise InvalidInputError(
                "Send the edit as the multipart form field 'file' (.edl, .otio or .xml).", field="file"
            )
        kind = import_format(filename)
        if len(content) > MAX_IMPORT_BYTES:
            raise InvalidInputError(f"'{filename}' is over {MAX_IMPORT_BYTES // 2**20} MB; is it really an edit list?")
        repo = self.projects.repo(project)
        graph = self.projects.live_graph(project)
        data = sequence_node(graph, node_id)["data"]
        fps = int(data.get("fps", DEFAULT_FPS))
        connected = [e["source"] for e in graph["edges"] if e["target"] == node_id and e.get("targetHandle") == "clips"]
        nodes = {n["id"]: n for n in graph["nodes"]}
        takes = [
            take_ref(repo, source, nodes[source]["data"]["active_take"])
            for source in connected
            if isinstance(nodes[source]["data"].get("active_take"), str)
        ]
        timeline = read_timeline(content.decode("utf-8", errors="replace"), kind, fps)
        clips, transitions = imported_sequence(timeline, takes, repo.root, fps, list(data.get("timeline", [])))
        op = UpdateNodeDataOp.model_validate(
            {
                "op": "update_node_data",
                "node_id": node_id,
                "data": {"timeline": [c.entry for c in clips], "transitions": transitions},
            }
        )
        edit = self.projects.apply_ops(user, project_id, project.version, [op])
        self.events.publish(
            project_id,
            ServerGraphPatch.model_validate({"ops": ops_json(edit.ops), "version": edit.version, "origin": None}),
        )
        return ImportResult(edit, clips, transitions)

    def start_render(self, user: User, project_id: str, node_id: str | None) -> Task:
        project = self.projects.open(user, project_id, Access.WRITE).project
        if not node_id:
            raise InvalidInputError("Name the Sequence or VSE Assembler node to render in node_id.", field="node_id")
        # The sequence is read now (a sequence that cannot render, or names a path outside the project, is refused
        # now, not minutes later on the worker) and kept with the task: the worker renders what was asked for.
        spec = render_spec(self.projects.live_graph(project), node_id, self.projects.repo(project))
        return self.tasks.submit(user, project_id, node_id, CPU_QUEUE, spec)
