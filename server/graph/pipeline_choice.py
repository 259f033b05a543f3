"""Which pipeline a step runs: its node type's, a connected Pipeline node's, or the quality map's for its task type,
checked against what the node gives it and what it hands on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from function_runner.comfyui.template import Template
from schemas.models.canvas_graph import CanvasNode
from schemas.models.node_type import Executor
from schemas.models.pipeline_manifest import PipelineManifest, TaskType
from server.graph.catalogue import NodeSpec
from server.graph.compatibility import can_feed
from server.graph.errors import UnresolvedInputError
from server.graph.plan import InputSource, PipelineChoice, PipelineKind, ResolvedInput
from server.graph.quality import PipelineSelection, select_pipeline

if TYPE_CHECKING:
    from server.graph.compiler import CompileContext


class PipelineChooser:
    """One compilation's choices, worked out once each: image digest per pipeline, quality-map selection per task
    type, and one (immutable) choice object per distinct choice, shared by its steps."""

    def __init__(self, context: CompileContext) -> None:
        self.context = context
        self.digests: dict[str, str] = {}
        self.selections: dict[TaskType, PipelineSelection] = {}
        self.choices: dict[tuple[str, str, str | None, str | None, str | None], PipelineChoice] = {}

    def choose(self, node: CanvasNode, spec: NodeSpec, inputs: list[ResolvedInput]) -> PipelineChoice | None:
        """The pipeline the node's step runs (None for a step the studio runs itself), checked against its inputs."""
        catalogue = self.context.catalogue
        if spec.definition.template_id is not None:
            return _template_choice(catalogue.templates[spec.definition.template_id])
        if spec.definition.pipeline_id is not None:
            return self._choice(catalogue.pipelines[spec.definition.pipeline_id], "node type", None)
        connected = [i for i in inputs if i.source is InputSource.PIPELINE]
        if connected:
            return self._checked_choice(node, spec, catalogue.pipelines[connected[0].value], inputs, "Pipeline node")
        if spec.definition.executor is not Executor.pipeline:
            return None
        task_type = _task_type(node, spec)
        if task_type not in self.selections:
            self.selections[task_type] = select_pipeline(
                self.context.quality_map, task_type, self.context.quality, catalogue.pipelines, self.context.fits
            )
        selection = self.selections[task_type]
        manifest = catalogue.pipelines[selection.pipeline_id]
        return self._checked_choice(
            node,
            spec,
            manifest,
            inputs,
            f"quality map ({selection.tier})",
            fallback=selection.fallback,
            tier=selection.tier,
        )

    def _checked_choice(
        self,
        node: CanvasNode,
        spec: NodeSpec,
        manifest: PipelineManifest,
        inputs: list[ResolvedInput],
        chosen_by: str,
        fallback: str | None = None,
        tier: str | None = None,
    ) -> PipelineChoice:
        given = {i.name for i in inputs}
        missing = [p.name for p in manifest.inputs if p.required and p.name not in given]
        unoffered = [name for name in missing if name not in spec.inputs]
        if unoffered:  # nothing to connect on this node: say which node runs that pipeline with those inputs
            raise UnresolvedInputError(
                f"Node '{node.id}' runs pipeline '{manifest.id}', which needs input(s) {', '.join(unoffered)}, and a "
                f"{spec.definition.title} node has no such input. Use a "
                f"'{self._node_title_offering(manifest, unoffered)}' node from the palette for it, or choose another "
                "task type.",
                field="graph",
            )
        if missing:
            raise UnresolvedInputError(
                f"Node '{node.id}' runs pipeline '{manifest.id}', which needs input(s) "
                f"{', '.join(missing)}; connect or fill them, or choose another pipeline.",
                field="graph",
            )
        return self._choice(manifest, chosen_by, self.context.quality.value, fallback, tier)

    def _node_title_offering(self, manifest: PipelineManifest, names: list[str]) -> str:
        """The palette node that gives `manifest` these inputs: a built-in of its task type (Face Swap), else its own
        pipeline node."""
        for candidate in self.context.catalogue.specs.values():
            definition = candidate.definition
            if definition.task_type is manifest.task_type and all(name in candidate.inputs for name in names):
                return definition.title
        return manifest.title

    def _choice(
        self,
        manifest: PipelineManifest,
        chosen_by: str,
        quality: str | None,
        fallback: str | None = None,
        tier: str | None = None,
    ) -> PipelineChoice:
        key = (manifest.id, chosen_by, quality, fallback, tier)
        if key not in self.choices:  # immutable, so one per distinct choice is shared by its steps
            self.choices[key] = self._new_choice(manifest, chosen_by, quality, fallback, tier)
        return self.choices[key]

    def _new_choice(
        self, manifest: PipelineManifest, chosen_by: str, quality: str | None, fallback: str | None, tier: str | None
    ) -> PipelineChoice:
        return PipelineChoice(
            pipeline_id=manifest.id,
            version=manifest.version,
            image=manifest.image,
            image_digest=self.digest(manifest),
            deterministic=bool(manifest.deterministic),
            requested_quality=quality,
            used_quality=tier or quality,
            chosen_by=chosen_by,
            fallback=fallback,
        )

    def check_outputs(self, node: CanvasNode, spec: NodeSpec, manifest: PipelineManifest, used: set[str]) -> None:
        """A built-in node's outputs that feed other nodes (`used`) must be ones its pipeline produces."""
        for handle in sorted(used):
            wanted = spec.outputs[handle].type
            if not any(can_feed(port.type, wanted) for port in manifest.outputs):
                produced = ", ".join(sorted({port.type.value for port in manifest.outputs}))
                raise UnresolvedInputError(
                    f"Node '{node.id}' passes on its {wanted} output '{handle}', but its pipeline "
                    f"'{manifest.id}' produces {produced}; connect its {produced} output instead, or choose "
                    f"a pipeline that makes {wanted} (e.g. another task type).",
                    field="graph",
                )

    def digest(self, manifest: PipelineManifest) -> str:
        if manifest.id not in self.digests:
            self.digests[manifest.id] = self.context.image_digest(manifest)
        return self.digests[manifest.id]


def _template_choice(template: Template) -> PipelineChoice:
    """A template runs as itself, whatever the quality: the ComfyUI server it runs on decides the hardware."""
    manifest = template.manifest
    return PipelineChoice(
        pipeline_id=manifest.id,
        version=manifest.version,
        image=None,
        image_digest=template.digest,
        deterministic=bool(manifest.deterministic),
        requested_quality=None,
        used_quality=None,
        chosen_by="node type",
        kind=PipelineKind.TEMPLATE,
    )


def _task_type(node: CanvasNode, spec: NodeSpec) -> TaskType:
    chosen = node.data.get("task_type")
    if isinstance(chosen, str) and chosen in TaskType._value2member_map_:
        return TaskType(chosen)
    assert spec.definition.task_type is not None, f"{spec.id} runs a pipeline but declares no task_type"
    return spec.definition.task_type
