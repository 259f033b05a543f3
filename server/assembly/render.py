"""Rendering a timeline to a file: stream copy for plain cuts, one ffmpeg filter graph for everything else, and
MoviePy (the PRD's renderer) as the reference the filter graph is compared with."""

from __future__ import annotations

import os
import tempfile
from enum import StrEnum
from pathlib import Path

from server.assembly.composite import render_composite, unsupported
from server.assembly.fast_cut import can_fast_cut, media_of, render_fast_cut
from server.assembly.filter_graph import render_filter_graph
from server.assembly.plan import Progress, RenderPlan
from server.errors import InvalidInputError
from server.media.processes import ProcessScope


class RenderPath(StrEnum):
    FAST_CUT = "fast_cut"
    FILTER_GRAPH = "filter_graph"
    COMPOSITE = "composite"  # MoviePy: only when asked for by name (the reference)


def render(
    plan: RenderPlan,
    out: Path,
    progress: Progress = lambda _: None,
    scope: ProcessScope | None = None,
    path: RenderPath | None = None,
) -> RenderPath:
    """Write `plan` to `out` (appearing complete or not at all) and say which path made it: `path`, or the fastest
    that can. A cancel of `scope` kills every ffmpeg of the render and leaves `out` as it was: the work folder goes,
    nothing is moved."""
    scope = scope or ProcessScope()
    media = media_of(plan, scope)
    chosen = path or (RenderPath.FAST_CUT if can_fast_cut(plan, media) else RenderPath.FILTER_GRAPH)
    if chosen is RenderPath.FAST_CUT and not can_fast_cut(plan, media):
        raise InvalidInputError("The stream-copy path renders plain cuts of alike clips only.")
    if chosen is RenderPath.COMPOSITE and (why := unsupported(plan)):
        raise InvalidInputError(f"The MoviePy path cannot render this sequence: {why}.")
    renderer = {
        RenderPath.FAST_CUT: render_fast_cut,
        RenderPath.FILTER_GRAPH: render_filter_graph,
        RenderPath.COMPOSITE: render_composite,
    }[chosen]
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".render-", dir=out.parent) as folder:
        work = Path(folder)
        staged = work / f"staged{out.suffix}"
        renderer(plan, media, work, staged, progress, scope)
        scope.check()
        os.replace(staged, out)
    progress(100)
    return chosen
