"""What one graph's compilations keep for the next, so that an edit recompiles only what it affects.

A step's draft (its resolved inputs, pipeline choice, params, seed and cache key) is a function of the node's
content, what it reads (the outputs of the nodes it is connected to, the files its widgets name, which of its
outputs are used) and the compile context. A `CompileMemo` keeps each node's last draft with all of that, and a
compilation reuses it only when all of it is equal now: the node is the same parsed model (its checker hands out
the same object while the node's content is unchanged), with the same spec, reading the same. What varies between
compilations is read anew every time: the takes (renders finish), the files and the context, whose signature
(catalogue, quality, quality map, which pipelines fit, their image digests) clears the memo when it changes.
The order of a target's closure is kept under the graph's links. The result is the one a fresh compilation gives
(tests/server/graph/test_compile_memo.py compares them on random edits, takes and contexts).

When the last compilation finished with the same shape in the same context, its outputs are kept too (`settled`):
a node whose sources all hand on what they handed on then, and whose widgets name no file, reads what its kept
draft read, so it is reused without working out its reads. A step with a cache key that reads no file is *steady*:
while its node and its key's take are the ones it had, it hands on what it did, so it is not visited at all; an
edit walks the nodes that are not steady (sources, steps without a key), the steady ones whose node or take is not
the one they had, and what those changes reach (a 2,000-node graph: a scan of the steady ones and a few drafts). So is
its plan: while every node that hands on something else hands on the same kind of thing (a step's output, a take, a
source's value), the same steps are needed and reused in the same places, and only the steps of the nodes that
changed or were drafted anew are finished again.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from schemas.models.canvas_graph import CanvasNode
from server.graph.catalogue import Catalogue, NodeSpec
from server.graph.plan import InputSource, Step
from server.graph.structure import Link
from server.graph.validation import GraphChecker


class NodeOutput(NamedTuple):
    """What a node hands downstream: how to fetch it and the identity of its content (a tuple: made and compared
    for every node of every compilation)."""

    source: InputSource
    value: Any
    content_hash: str | None


@dataclass(frozen=True)
class Shape:
    """What compiling a target walks, decided by the graph's links alone."""

    closure: set[str]  # the target and every node it depends on
    order: list[str]  # the closure in topological order
    used_outputs: dict[str, set[str]]  # node id -> its outputs that feed the closure
    sources: dict[str, frozenset[str]]  # node id -> the nodes its inputs are connected to
    dependents: dict[str, tuple[str, ...]]  # node id -> the nodes of the closure connected to its outputs
    position: dict[str, int]  # node id -> its place in `order`


@dataclass(frozen=True)
class Planned:
    """A compilation's plan, and where each of its steps is: the next compilation with the same shape patches it."""

    needed: set[str]  # the steps that run
    steps: list[Step]
    reused: list[Step]
    at: dict[str, int]  # node id -> its place in `steps` (a needed node) or in `reused`


class Steady(NamedTuple):
    """A step whose output is a function of its draft and its take alone (it has a cache key and reads no file):
    while its node is this one and its key has this take, it hands on what it did."""

    node: CanvasNode
    spec: NodeSpec
    key: str
    take: str | None


@dataclass(frozen=True)
class Settled:
    """What each node of a finished compilation handed on (its output and, for an Asset node, its LoRA), each
    step's draft, which steps are steady; its plan."""

    shape: Shape
    outputs: dict[str, NodeOutput]
    loras: dict[str, Any]
    kept: dict[str, KeptDraft]
    steady: dict[str, Steady]
    plan: Planned


@dataclass
class KeptDraft:
    node: CanvasNode
    spec: NodeSpec
    reads: tuple[Any, ...]
    fields: dict[str, Any]  # the Step fields known before planning decides its status
    reads_files: bool  # whether a widget of the node names a file (read anew by every compilation)
    step: Step | None = None  # the last Step finished from `fields`


class CompileMemo:
    """One graph's kept drafts and shapes; a compilation holds `lock` while it reads and updates them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._catalogue: Catalogue | None = None
        self._context: tuple[Any, ...] | None = None
        self._drafts: dict[str, KeptDraft] = {}
        self._shape: tuple[str, list[Link], Shape] | None = None
        self._settled: Settled | None = None

    def use_context(self, catalogue: Catalogue, signature: tuple[Any, ...]) -> None:
        """Keeps the drafts made with the same catalogue in an equal context only."""
        if catalogue is not self._catalogue or signature != self._context:
            self._catalogue, self._context = catalogue, signature
            self._drafts = {}
            self._settled = None

    def unsettle(self, shape: Shape) -> Settled | None:
        """What the last compilation handed on, if it finished with `shape` in this context; forgotten until this
        compilation settles (one that fails halfway leaves nothing to trust)."""
        settled, self._settled = self._settled, None
        return settled if settled is not None and settled.shape is shape else None

    def settle(self, settled: Settled) -> None:
        self._settled = settled

    @property
    def kept_drafts(self) -> dict[str, KeptDraft]:
        """The last draft of each node by id, read by every compilation for every node."""
        return self._drafts

    def shape(self, target: str, links: list[Link], work_out: Callable[[], Shape]) -> Shape:
        if self._shape is None or self._shape[0] != target or self._shape[1] != links:
            self._shape = (target, links, work_out())
        return self._shape[2]

    def draft(self, node: CanvasNode, spec: NodeSpec, reads: tuple[Any, ...]) -> KeptDraft | None:
        kept = self._drafts.get(node.id)
        if kept is not None and kept.node is node and kept.spec is spec and kept.reads == reads:
            return kept
        return None

    def keep(self, kept: KeptDraft) -> None:
        self._drafts[kept.node.id] = kept

    def let_go_beyond(self, node_ids: dict[str, Any]) -> None:
        """Drops the drafts of nodes the graph no longer has, once they outnumber the ones it has."""
        if len(self._drafts) > 2 * len(node_ids):
            self._drafts = {k: v for k, v in self._drafts.items() if k in node_ids}


# One memo per checker: both keep results for the same graph and are let go together.
_MEMOS: weakref.WeakKeyDictionary[GraphChecker, CompileMemo] = weakref.WeakKeyDictionary()
_MEMOS_GUARD = threading.Lock()


def memo_for(checker: GraphChecker) -> CompileMemo:
    with _MEMOS_GUARD:
        memo = _MEMOS.get(checker)
        if memo is None:
            memo = _MEMOS[checker] = CompileMemo()
        return memo
