"""Assembly for the API and the socket: export a Sequence, import an edit onto it, start its final render."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from schemas.models.graph_ops import UpdateNodeDataOp
from schemas.models.sequence import ImportPreview
from schemas.models.ws_events import ServerGraphPatch
from server.assembly.exports import Exported, edl_text, export_name, otio_text, write_exports, xml_text
from server.assembly.importer import ImportedEdit, ImportFormat, import_format, imported_sequence, read_timeline
from server.assembly.sequence import DEFAULT_FPS, contributed_ref, read_sequence, sequence_node
from server.assembly.target import render_spec
from server.assembly.timeline import build_timeline
from server.db.tables import Project, Task, User
from server.dispatch.capabilities import CPU_QUEUE
from server.errors import InvalidInputError
from server.events import EventSink
from server.jobs.service import TaskService
from server.projects.git import studio_author
from server.projects.graph_ops import ops_json
from server.projects.service import Access, ProjectService
from server.takes.slots import nodes_by_id
from server.takes.store import contributed_take

MAX_IMPORT_BYTES = 8 * 1024 * 1024  # an edit list of thousands of events is well under a megabyte


class ExportFormat(StrEnum):
    EDL = "edl"
    OTIO = "otio"
    FCP_XML = "xml"


@dataclass(frozen=True)
class ImportResult:
    version: int  # the graph's, after the edit
    timeline: list[dict[str, Any]]
    transitions: list[dict[str, Any]]


@dataclass(frozen=True)
class ExportText:
    filename: str
    text: str


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

    def export_text(self, user: User, project_id: str, node_id: str, kind: ExportFormat) -> ExportText:
        """The Sequence as it is now in the live graph, as one file (nothing is written or committed)."""
        project = self.projects.open(user, project_id, Access.READ).project
        repo = self.projects.repo(project)
        timeline = build_timeline(read_sequence(self.projects.live_graph(project), node_id, repo), repo.root)
        writers = {ExportFormat.EDL: edl_text, ExportFormat.FCP_XML: xml_text, ExportFormat.OTIO: otio_text}
        return ExportText(f"{export_name(node_id)}.{kind.value}", writers[kind](timeline))

    def preview_import(
        self, user: User, project_id: str, node_id: str, filename: str, content: bytes | None
    ) -> ImportPreview:
        """What applying the edited file would change; nothing is changed."""
        project = self.projects.open(user, project_id, Access.WRITE).project
        kind, edit, previous = self._read_edit(project, node_id, filename, content)
        was = {e["node_id"]: (i, e) for i, e in enumerate(previous)}
        after = [c.entry for c in edit.matched]
        return ImportPreview.model_validate(
            {
                "format": kind.value,
                "version": project.version,
                "applicable": not edit.unmatched,
                "matched": [
                    {
                        "index": c.index,
                        "name": c.name,
                        "node_id": c.entry["node_id"],
                        "take_path": c.take_path,
                        "matched_by": c.matched_by,
                        "trim_in": c.entry["trim_in"],
                        "trim_out": c.entry["trim_out"],
                        "previous_index": was[c.entry["node_id"]][0] if c.entry["node_id"] in was else None,
                        "previous_trim_in": was.get(c.entry["node_id"], (0, {}))[1].get("trim_in"),
                        "previous_trim_out": was.get(c.entry["node_id"], (0, {}))[1].get("trim_out"),
                    }
                    for c in edit.matched
                ],
                "unmatched": [u.model_dump(mode="json") for u in edit.unmatched],
                "removed": [e["node_id"] for e in previous if e["node_id"] not in {a["node_id"] for a in after}],
                "order_changed": [a["node_id"] for a in after] != [e["node_id"] for e in previous],
                "timeline": after,
                "transitions": edit.transitions,
            }
        )

    def import_edit(
        self, user: User, project_id: str, node_id: str, filename: str, content: bytes | None, version: int | None
    ) -> ImportResult:
        """Apply the edited file to the Sequence as one graph edit made on `version` (the preview's): a stale one
        is refused (409), as any edit on a graph that moved on."""
        project = self.projects.open(user, project_id, Access.WRITE).project
        _, edit, _ = self._read_edit(project, node_id, filename, content)
        if version is None:
            raise InvalidInputError(
                "Send the graph version the import preview was made on as `version` (or preview with dry_run=true).",
                field="version",
            )
        edit.require_all_matched()
        data = {"timeline": [c.entry for c in edit.matched], "transitions": edit.transitions}
        op = UpdateNodeDataOp.model_validate({"op": "update_node_data", "node_id": node_id, "data": data})
        applied = self.projects.apply_ops(user, project_id, version, [op])
        self.events.publish(
            project_id,
            ServerGraphPatch.model_validate({"ops": ops_json(applied.ops), "version": applied.version, "origin": None}),
        )
        return ImportResult(applied.version, data["timeline"], data["transitions"])

    def _read_edit(
        self, project: Project, node_id: str, filename: str, content: bytes | None
    ) -> tuple[ImportFormat, ImportedEdit, list[dict[str, Any]]]:
        """The uploaded edit (hostile input: its size bounded, its clips matched only to this Sequence's takes,
        every path through the resolver) and the Sequence's timeline before it."""
        if content is None:
            raise InvalidInputError(
                "Send the edit as the multipart form field 'file' (.edl, .otio or .xml).", field="file"
            )
        kind = import_format(filename)
        if len(content) > MAX_IMPORT_BYTES:
            raise InvalidInputError(
                f"'{filename[:100]}' is over {MAX_IMPORT_BYTES // 2**20} MB; is it really an edit list? Export the "
                "sequence alone.",
                field="file",
            )
        repo = self.projects.repo(project)
        graph = self.projects.live_graph(project)
        data = sequence_node(graph, node_id)["data"]
        fps = int(data.get("fps", DEFAULT_FPS))
        connected = [e["source"] for e in graph["edges"] if e["target"] == node_id and e.get("targetHandle") == "clips"]
        nodes = nodes_by_id(graph)
        takes = [
            contributed_ref(nodes, source, repo) for source in connected if contributed_take(repo.root, nodes, source)
        ]
        timeline = read_timeline(content.decode("utf-8", errors="replace"), kind, fps)
        previous = list(data.get("timeline") or [{"node_id": source} for source in connected])
        return kind, imported_sequence(timeline, takes, repo.root, fps, previous), previous

    def start_render(self, user: User, project_id: str, node_id: str | None) -> Task:
        project = self.projects.open(user, project_id, Access.WRITE).project
        if not node_id:
            raise InvalidInputError("Name the Sequence or VSE Assembler node to render in node_id.", field="node_id")
        # The sequence is read now (a sequence that cannot render, or names a path outside the project, is refused
        # now, not minutes later on the worker) and kept with the task: the worker renders what was asked for.
        spec = render_spec(self.projects.live_graph(project), node_id, self.projects.repo(project))
        return self.tasks.submit(user, project_id, node_id, CPU_QUEUE, spec)
