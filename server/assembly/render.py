"""Rendering a timeline to a file: the stream-copy fast path for plain cuts, MoviePy for everything else."""

from __future__ import annotations

import os
import tempfile
from enum import StrEnum
from pathlib import Path

from server.assembly.composite import render_composite
from server.assembly.fast_cut import can_fast_cut, probe_all, render_fast_cut
from server.assembly.plan import Progress, RenderPlan
from server.media.processes import ProcessScope


class RenderPath(StrEnum):
    FAST_CUT = "fast_cut"
    COMPOSITE = "composite"


def render(
    plan: RenderPlan, out: Path, progress: Progress = lambda _: None, scope: ProcessScope | None = None
) -> RenderPath:
    """Write `plan` to `out` (appearing complete or not at all) and say which path made it. A cancel of `scope`
    kills every ffmpeg of the render and leaves `out` as it was: the work folder goes, nothing is moved."""
    scope = scope or ProcessScope()
    media = probe_all(plan, scope)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".render-", dir=out.parent) as folder:
        work = Path(folder)
        staged = work / f"staged{out.suffix}"
        if can_fast_cut(plan, media):
            render_fast_cut(plan, media, work, staged, progress, scope)
            chosen = RenderPath.FAST_CUT
        else:
            render_composite(plan, media, work, staged, progress, scope)
            chosen = RenderPath.COMPOSITE
        scope.check()
        os.replace(staged, out)
    progress(100)
    return chosen
