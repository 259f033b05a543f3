"""Compiling a node into an execution plan: validate, resolve inputs, key deterministic steps,
reuse what is up to date, plan the rest in topological order (ARCHITECTURE §5)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from heapq import heapify, heappop, heappush
from typing import Any

from schemas.models.canvas_graph import CanvasNode
from schemas.models.graph_validation import Severity
from schemas.models.node_type import Executor
from schemas.models.pipeline_manifest import PipelineManifest
from schemas.models.project_manifest import Quality
from schemas.models.quality_map import QualityMap
from schemas.models.socket_type import SocketType
from server.graph.asset_inputs import AssetLookup, AssetLora, asset_lora, with_lora
from server.graph.cache_keys import cache_key, manifest_digest, value_hash
from server.graph.catalogue import PRIMITIVE_SOCKETS, Catalogue, NodeSpec
from server.graph.compile_memo import (
    CompileMemo,
    KeptDraft,
    NodeOutput,
    Planned,
    Settled,
    Shape,
    Steady,
    memo_for,
)
from server.graph.cycles import topological_order
from server.graph.errors import (
    InvalidGraphError,
    NodeNotInGraphError,
    NothingToRunError,
    UnresolvedInputError,
)
from server.graph.pipeline_choice import PipelineChooser
from server.graph.plan import (
    ExecutionPlan,
    InputSource,
    PipelineKind,
    ResolvedInput,
    Step,
    StepStatus,
)
from server.graph.structure import GraphView
from server.graph.takes import TakeStore
from server.graph.validation import GraphChecker, check_graph
from server.takes.slots import nodes_by_id

DEFAULT_SEED = 0


@dataclass(frozen=True)
class CompileContext:
    catalogue: Catalogue
    quality: Quality
    quality_map: QualityMap
    takes: TakeStore
    # The runner knows the built image's digest; until then the manifest stands in for it.
    image_digest: Callable[[PipelineManifest], str] = manifest_digest
    # Whether the live workers can hold a pipeline: quality-map choices skip tiers that do not fit.
    fits: Callable[[PipelineManifest], bool] = lambda _manifest: True
    # The project's assets by uuid, for Asset nodes that reference one (None: such nodes cannot be resolved).
    assets: AssetLookup | None = None
    # The project's checker: validation re-checks only what changed since its last check (None: a fresh check).
    checker: GraphChecker | None = None


def ensure_runnable(
    document: Any,
    node_id: str,
    catalogue: Catalogue,
    checker: GraphChecker | None = None,
    memo: CompileMemo | None = None,
) -> GraphView:
    """The check to make before every dispatch: `node_id` exists and nothing it depends on is broken (its closure
    found in `memo` when given)."""
    checked = checker.check(document) if checker is not None else check_graph(document, catalogue)
    if node_id not in checked.view.nodes:
        blocking = [i for i in checked.issues if i.severity is Severity.error and i.node_id is None]
        if blocking:
            raise InvalidGraphError(node_id, blocking)
        raise NodeNotInGraphError(node_id)
    view = checked.view
    closure = (
        memo.shape(node_id, view.links, lambda: _shape(view, node_id)).closure
        if memo
        else view.upstream_closure(node_id)
    )
    blocking = [
        i for i in checked.issues if i.severity is Severity.error and (i.node_id is None or i.node_id in closure)
    ]
    if blocking:
        raise InvalidGraphError(node_id, blocking)
    return checked.view


def compile_node(document: Any, node_id: str, context: CompileContext) -> ExecutionPlan:
    # With a checker, what this compilation works out is kept for the next one of the same graph.
    memo = memo_for(context.checker) if context.checker is not None else CompileMemo()
    with memo.lock:
        view = ensure_runnable(document, node_id, context.catalogue, context.checker, memo)
        target_spec = view.specs[node_id]
        if target_spec.definition.executor is Executor.none:
            raise NothingToRunError(
                f"Node '{node_id}' is a {target_spec.definition.title} node: it provides data and has nothing "
                "to generate. Generate the node it feeds instead.",
                field="node_id",
            )
        return _Compilation(view, context, node_id, document, memo).run()


def _shape(view: GraphView, node_id: str) -> Shape:
    closure = view.upstream_closure(node_id)
    successors: dict[str, list[str]] = {}
    used_outputs: dict[str, set[str]] = {}
    sources: dict[str, set[str]] = {}
    for link in view.links:
        if link.target in closure:
            successors.setdefault(link.source, []).append(link.target)
            used_outputs.setdefault(link.source, set()).add(link.source_handle)
            sources.setdefault(link.target, set()).add(link.source)
    order = topological_order(sorted(closure), successors)
    return Shape(
        closure,
        order,
        used_outputs,
        {n: frozenset(sources.get(n, ())) for n in order},
        {n: tuple(successors.get(n, ())) for n in order},
        {n: i for i, n in enumerate(order)},
    )


class _Compilation:
    def __init__(
        self,
        view: GraphView,
        context: CompileContext,
        target: str,
        document: dict[str, Any],
        memo: CompileMemo,
    ) -> None:
        self.view = view
        self.document = document
        self._raw_nodes: dict[str, Any] | None = None
        self.context = context
        self.target = target
        self.memo = memo
        self.shape = memo.shape(target, view.links, lambda: _shape(view, target))
        self.used_outputs = self.shape.used_outputs
        self.outputs: dict[str, NodeOutput] = {}
        self.pipelines = PipelineChooser(context)
        self.loras: dict[str, AssetLora] = {}  # Asset node id -> the LoRA it hands on
        self.kept: dict[str, KeptDraft] = {}  # step node id -> its draft, kept in the memo
        self.steady: dict[str, Steady] = {}  # step node id -> what hands on the same while it is the same

    @property
    def raw_nodes(self) -> dict[str, Any]:
        """The document's nodes by id, for the take store (worked out only when a step has no cache key)."""
        if self._raw_nodes is None:
            self._raw_nodes = nodes_by_id(self.document)
        return self._raw_nodes

    def run(self) -> ExecutionPlan:
        context = self.context
        pipelines = [(m.id, context.fits(m), self.pipelines.digest(m)) for m in context.catalogue.pipelines.values()]
        self.memo.use_context(context.catalogue, (context.quality, context.quality_map, pipelines))
        self.memo.let_go_beyond(self.view.nodes)
        last = self.memo.unsettle(self.shape)
        changed, touched = self._hand_on(last)
        outputs = self.outputs
        if last is not None and all(last.outputs[n].source is outputs[n].source for n in changed):
            plan = self._patched(last.plan, touched | changed)
        else:
            plan = self._plan()
        self.memo.settle(Settled(self.shape, outputs, self.loras, self.kept, self.steady, plan))
        return ExecutionPlan(self.target, list(plan.steps), list(plan.reused))

    def _hand_on(self, last: Settled | None) -> tuple[set[str], set[str]]:
        """Works out what each node of the closure hands on, in order. The nodes that hand on something else than
        in the last compilation, and the nodes whose step may differ from the last compilation's (they changed or
        were drafted anew).

        After a compilation that settled with this shape, only the nodes that may hand on something else are
        worked out: those that are not steady (sources, steps without a cache key or reading a file), the steady
        ones whose node or take is not the one they had, and, in order, what a changed node feeds. Every other
        node hands on what it did then (an edit of one node walks that node and what it reaches)."""
        changed: set[str] = set()
        touched: set[str] = set()
        if last is None:
            for node_id in self.shape.order:
                self._work_out(node_id, None, changed, touched)
            return changed, touched
        self.outputs.update(last.outputs)
        self.loras.update(last.loras)
        self.kept.update(last.kept)
        self.steady.update(last.steady)
        order, position, dependents = self.shape.order, self.shape.position, self.shape.dependents
        due = [position[node_id] for node_id in self._unsteady(last)]
        heapify(due)
        queued = set(due)
        while due:  # in topological order: a node is worked out after every node it reads from
            node_id = order[heappop(due)]
            if self._work_out(node_id, last, changed, touched):
                for dependent in dependents[node_id]:
                    if position[dependent] not in queued:
                        queued.add(position[dependent])
                        heappush(due, position[dependent])
        return changed, touched

    def _unsteady(self, last: Settled) -> list[str]:
        """The nodes of the closure that may hand on something else than in `last` whatever their sources do."""
        nodes, specs, take_for = self.view.nodes, self.view.specs, self.context.takes.take_for
        steady = last.steady
        return [node_id for node_id in self.shape.order if node_id not in steady] + [
            node_id
            for node_id, was in steady.items()
            if nodes[node_id] is not was.node
            or specs[node_id] is not was.spec
            or (take_for(was.key) or None) != was.take
        ]

    def _work_out(self, node_id: str, last: Settled | None, changed: set[str], touched: set[str]) -> bool:
        """What the node hands on now (recorded in `outputs`, `loras`, `kept` and `steady`); whether it changed."""
        spec, node = self.view.specs[node_id], self.view.nodes[node_id]
        self.loras.pop(node_id, None)
        if spec.definition.executor is Executor.none:
            self.kept.pop(node_id, None)
            self.steady.pop(node_id, None)
            output = self._source_output(node, spec)
        else:
            # The kept draft of this same node reads the same when the last compilation settled with this shape and
            # every node this one is connected to hands on what it handed on then, unless a widget of the node
            # names a file, which may have changed since.
            draft = self.memo.kept_drafts.get(node_id)
            if (
                last is None
                or draft is None
                or draft.node is not node
                or draft.spec is not spec
                or draft.reads_files
                or not changed.isdisjoint(self.shape.sources[node_id])
            ):
                draft = self._draft_step(node, spec)
                touched.add(node_id)
            self.kept[node_id] = draft
            key = draft.fields["cache_key"]
            if key is None:
                self.steady.pop(node_id, None)
                output = self._unkeyed_output(node_id)
            else:  # a deterministic output is identified by its key whether or not it exists yet
                taken = self.context.takes.take_for(key) or None
                if draft.reads_files:
                    self.steady.pop(node_id, None)
                else:
                    self.steady[node_id] = Steady(node, spec, key, taken)
                output = (
                    NodeOutput(InputSource.TAKE, taken, key) if taken else NodeOutput(InputSource.STEP, node_id, key)
                )
        self.outputs[node_id] = output
        if last is None or last.outputs.get(node_id) != output or last.loras.get(node_id) != self.loras.get(node_id):
            changed.add(node_id)
            return True
        return False

    # -- data sources ---------------------------------------------------------------------------

    def _source_output(self, node: CanvasNode, spec: NodeSpec) -> NodeOutput:
        if spec.id == "AssetNode" and node.data.get("asset_id") and self.context.assets is not None:
            lora = self.loras[node.id] = asset_lora(node, self.context.assets)
            return NodeOutput(InputSource.ASSET, lora.path, lora.sha256)
        if spec.id == "AssetNode":
            files = self.context.takes.files_under(node.data["path"])
            hashes = [self.context.takes.content_hash(f) for f in files]
            if not files or None in hashes:
                raise UnresolvedInputError(
                    f"Asset node '{node.id}' points at '{node.data['path']}', where the project has no "
                    "files; add the asset's files there or fix the path.",
                    field="graph",
                )
            return NodeOutput(InputSource.ASSET, files, value_hash(list(zip(files, hashes, strict=True))))
        if spec.id == "PipelineNode":
            manifest = self.context.catalogue.pipelines[node.data["pipeline_id"]]
            return NodeOutput(InputSource.PIPELINE, manifest.id, self.pipelines.digest(manifest))
        params = spec.params_of(node.data)
        return NodeOutput(InputSource.WIDGET, params, value_hash(params))

    # -- steps ----------------------------------------------------------------------------------

    def _draft_step(self, node: CanvasNode, spec: NodeSpec) -> KeptDraft:
        """The node's draft for what it reads now: the kept one if it read the same, else a new one."""
        files = self._file_widgets(node, spec)
        reads = self._reads(node, files)
        kept = self.memo.draft(node, spec, reads)
        if kept is None:
            kept = KeptDraft(node, spec, reads, self._new_draft(node, spec), reads_files=bool(files))
            self.memo.keep(kept)
        return kept

    def _reads(self, node: CanvasNode, files: list[str]) -> tuple[Any, ...]:
        """All a node's draft depends on besides its content and the context: what `_new_draft` reads."""
        outputs, loras, connected = self.outputs, self.loras, self.view.inputs_of(node.id)
        reads: list[Any] = [self.used_outputs.get(node.id)]
        for name, links in connected.items():
            reads.append((name, *((link.source, outputs[link.source], loras.get(link.source)) for link in links)))
        for name in files:  # a widget naming a file reads that file
            reads.append((name, self.context.takes.content_hash(str(node.data[name]))))
        return tuple(reads)

    def _file_widgets(self, node: CanvasNode, spec: NodeSpec) -> list[str]:
        """The node's unconnected inputs whose widget names a file."""
        data, connected = node.data, self.view.inputs_of(node.id)
        return [name for name in spec.file_inputs if data.get(name) not in (None, "") and name not in connected]

    def _new_draft(self, node: CanvasNode, spec: NodeSpec) -> dict[str, Any]:
        inputs = self._resolve_inputs(node, spec)
        pipeline = self.pipelines.choose(node, spec, inputs)
        if pipeline is not None and spec.definition.pipeline_id is None and spec.definition.template_id is None:
            manifest = self.context.catalogue.pipelines[pipeline.pipeline_id]
            self.pipelines.check_outputs(node, spec, manifest, self.used_outputs.get(node.id, set()))
        seed = node.data.get("seed")
        seed = seed if isinstance(seed, int) and not isinstance(seed, bool) else DEFAULT_SEED
        params = {
            k: v for k, v in spec.params_of(node.data).items() if k not in spec.output_neutral_params and k != "seed"
        }
        if pipeline is not None and pipeline.kind is PipelineKind.MANIFEST:
            manifest = self.context.catalogue.pipelines[pipeline.pipeline_id]
            inputs, params = with_lora(node, manifest, inputs, params, self.loras)
        executor = spec.definition.executor
        digest = pipeline.image_digest if pipeline else f"studio:{executor.value}:{spec.definition.version}"
        deterministic = pipeline.deterministic if pipeline else executor is Executor.edl
        key = None
        if deterministic and all(i.content_hash is not None for i in inputs):
            grouped: dict[str, list[str]] = {}
            for item in inputs:
                grouped.setdefault(item.name, []).append(str(item.content_hash))
            key = cache_key(digest, params, seed, grouped)
        return {
            "node_id": node.id,
            "node_type": spec.id,
            "executor": executor,
            "pipeline": pipeline,
            "params": params,
            "seed": seed,
            "inputs": tuple(inputs),
            "cache_key": key,
        }

    def _unkeyed_output(self, node_id: str) -> NodeOutput:
        """The take a step without a cache key shows, which downstream may use as it is, else its output once run."""
        takes = self.context.takes
        shown = takes.contributed_take(self.raw_nodes, node_id)
        shown_hash = takes.content_hash(shown) if shown is not None else None
        if shown is not None and shown_hash is not None:
            return NodeOutput(InputSource.TAKE, shown, shown_hash)
        return NodeOutput(InputSource.STEP, node_id, None)

    def _resolve_inputs(self, node: CanvasNode, spec: NodeSpec) -> list[ResolvedInput]:
        resolved = []
        connected = self.view.inputs_of(node.id)
        for name, port in spec.inputs.items():
            if name in connected:
                for link in connected[name]:
                    out = self.outputs[link.source]
                    resolved.append(
                        ResolvedInput(name, port.type, out.source, out.value, out.content_hash, link.source)
                    )
                continue
            value = node.data.get(name)
            if value not in (None, ""):
                resolved.append(
                    ResolvedInput(name, port.type, InputSource.WIDGET, value, self._hash(node, name, port.type, value))
                )
            elif port.default not in (None, ""):
                resolved.append(
                    ResolvedInput(name, port.type, InputSource.DEFAULT, port.default, value_hash(port.default))
                )
        return resolved

    def _hash(self, node: CanvasNode, name: str, socket_type: SocketType, value: Any) -> str:
        if socket_type in PRIMITIVE_SOCKETS:
            return value_hash(value)
        content = self.context.takes.content_hash(str(value))
        if content is None:
            raise UnresolvedInputError(
                f"Input '{name}' of node '{node.id}' names the file '{value}', which is not in the project; "
                "upload it or choose another file.",
                field="graph",
            )
        return content

    # -- planning -------------------------------------------------------------------------------

    def _plan(self) -> Planned:
        needed, order = self._needed(), self.shape.order
        steps = [self._finish(n, StepStatus.PLANNED) for n in order if n in needed]
        reused = [
            self._finish(n, StepStatus.REUSED)
            for n in order
            if n in self.kept and n not in needed and self.outputs[n].source is InputSource.TAKE
        ]
        at = {step.node_id: i for i, step in enumerate(steps)} | {step.node_id: i for i, step in enumerate(reused)}
        return Planned(needed, steps, reused, at)

    def _patched(self, last: Planned, touched: set[str]) -> Planned:
        """The last plan with the steps of `touched` finished again, when every other node hands on what it did then
        and the touched ones the same kind of thing: then the same steps are needed, and the same ones reused, and
        an untouched node's step is its kept draft's last step, the one the last plan holds."""
        steps, reused = list(last.steps), list(last.reused)
        for node_id in touched:
            at = last.at.get(node_id)
            if at is None:
                continue
            if node_id in last.needed:
                steps[at] = self._finish(node_id, StepStatus.PLANNED)
            else:
                reused[at] = self._finish(node_id, StepStatus.REUSED)
        return Planned(last.needed, steps, reused, last.at)

    def _needed(self) -> set[str]:
        """The target, and every step upstream of a needed step that has no usable take."""
        planned = {self.target}
        stack = [self.target]
        while stack:
            for links in self.view.inputs_of(stack.pop()).values():
                for link in links:
                    source = link.source
                    if source in planned or source not in self.kept:
                        continue
                    if self.outputs[source].source is InputSource.STEP:
                        planned.add(source)
                        stack.append(source)
        return planned

    def _finish(self, node_id: str, status: StepStatus) -> Step:
        kept = self.kept[node_id]
        draft = kept.fields
        if status is StepStatus.REUSED:
            take = self.outputs[node_id].value
            reason = "a take exists for the same cache key" if draft["cache_key"] else "its active take is used"
        else:
            take = None
            reason = (
                "requested"
                if node_id == self.target
                else "no take exists for its cache key"
                if draft["cache_key"]
                else "it has no usable take"
            )
        step = kept.step
        if step is None or step.status is not status or step.take != take or step.reason != reason:
            step = kept.step = Step(**draft, status=status, take=take, reason=reason)
        return step
