"""Before anyone presses Generate: a warning on each node whose pipeline lacks its weights, with the fix."""

from __future__ import annotations

from pathlib import Path

from function_runner.weights import weights_status
from schemas.models.graph_validation import GraphIssue, IssueCode, Severity
from schemas.models.node_type import Executor
from schemas.models.pipeline_manifest import PipelineManifest, TaskType
from schemas.models.project_manifest import Quality
from schemas.models.quality_map import QualityMap
from schemas.models.socket_type import SocketType
from server.graph.catalogue import Catalogue
from server.graph.errors import NoPipelineError
from server.graph.issues import issue
from server.graph.quality import select_pipeline
from server.graph.structure import GraphView

PIPELINE_NODE = "PipelineNode"


def node_pipeline(
    view: GraphView, node_id: str, catalogue: Catalogue, quality_map: QualityMap, quality: Quality
) -> PipelineManifest | None:
    """The pipeline the node would run: its own, a connected Pipeline node's, or the quality map's pick.

    The quality map's pick is the requested tier's: which workers are live is only known at dispatch.
    """
    spec = view.specs[node_id]
    if spec.definition.pipeline_id is not None:
        return catalogue.pipelines.get(spec.definition.pipeline_id)
    if spec.definition.executor is not Executor.pipeline:
        return None
    for name, links in view.inputs_of(node_id).items():
        port = spec.inputs.get(name)
        if port is not None and port.type is SocketType.PipelineReference and links:
            source = view.nodes[links[0].source]
            if source.type != PIPELINE_NODE:
                return None
            return catalogue.pipelines.get(str(source.data.get("pipeline_id")))
    chosen = view.nodes[node_id].data.get("task_type")
    task_type = TaskType(chosen) if isinstance(chosen, str) and chosen in TaskType._value2member_map_ else None
    task_type = task_type or spec.definition.task_type
    if task_type is None:
        return None
    try:
        return catalogue.pipelines[select_pipeline(quality_map, task_type, quality, catalogue.pipelines).pipeline_id]
    except NoPipelineError:
        return None  # validation proper reports what is missing


def weight_issues(
    view: GraphView, catalogue: Catalogue, quality_map: QualityMap, quality: Quality, store: Path
) -> list[GraphIssue]:
    """A warning (it may still run: a fallback or another host's store) per node whose model is missing."""
    issues = []
    for node_id in view.specs:
        manifest = node_pipeline(view, node_id, catalogue, quality_map, quality)
        if manifest is None:
            continue
        for status in weights_status(manifest, store):
            if status.problem and not status.weight.optional:
                issues.append(
                    issue(
                        IssueCode.weights_missing,
                        f"Node '{node_id}' runs {manifest.id} ({manifest.title}): {status.problem}",
                        node_id=node_id,
                        fix=status.fix,
                        severity=Severity.warning,
                    )
                )
    return issues
