"""The three transitions as the MoviePy path draws them: the incoming shot over the outgoing one, frame for frame
what the filter graph's `xfade` makes (server.assembly.filter_graph), so MoviePy stays the reference it is held to.

`xfade` weighs the two shots by a progress P that runs from 1 on the transition's first frame down to 1/n on its
last (frame k of n: P = 1 - k/n). Over the outgoing shot, the incoming one is laid with a mask:
- dissolve: opacity 1 - P (MoviePy's own CrossFadeIn);
- wipe (`wipeleft`): opaque right of column W·P, so the edge sweeps from the right edge to the left;
- fade to black (`fadeblack`): opacity 1 - P, the incoming shot darkened by 1 - smoothstep(0.2, 1, P) and the
  outgoing one by smoothstep(0.8, 1, P): the outgoing shot is gone within the first fifth and the incoming one
  comes up from black. (xfade mixes towards Y = 0, below limited-range black, so its darkest frames come out a
  little darker than these.)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from moviepy import VideoClip, vfx

from schemas.models.sequence import TransitionKind

FADE_PHASE = 0.2  # xfade's fadeblack: how far into the progress the outgoing shot is gone and the incoming one starts


def _smoothstep(edge0: float, edge1: float, x: float) -> float:
    t = min(max((x - edge0) / (edge1 - edge0), 0.0), 1.0)
    return t * t * (3 - 2 * t)


def _progress(t: float, first_frame: int, frames: int, fps: int) -> float:
    """xfade's P at time `t` of a clip whose transition of `frames` starts at its frame `first_frame`: 1 on the
    transition's first frame, 0 once it is over. Frames are shown at t = i / fps; rounding recovers i exactly."""
    return min(max(1.0 - (round(t * fps) - first_frame) / frames, 0.0), 1.0)


def incoming(piece: Any, kind: TransitionKind, frames: int, fps: int) -> Any:
    """`piece` (the shot that comes in, starting with a transition of `frames`) as it is laid over the previous shot."""
    if kind is TransitionKind.dissolve:
        return piece.with_effects([vfx.CrossFadeIn(frames / fps)])
    if kind is TransitionKind.wipe:
        width, height = piece.size
        columns = np.arange(width)

        def wipe_mask(t: float) -> Any:
            progress = _progress(t, 0, frames, fps)
            shown = columns > int(width * progress) if progress > 0 else np.ones(width, dtype=bool)
            return np.broadcast_to(shown.astype(float), (height, width))

        return piece.with_mask(VideoClip(frame_function=wipe_mask, is_mask=True, duration=piece.duration))
    assert kind is TransitionKind.fade_to_black, kind

    def from_black(get_frame: Any, t: float) -> Any:
        return get_frame(t) * (1 - _smoothstep(FADE_PHASE, 1.0, _progress(t, 0, frames, fps)))

    return piece.transform(from_black).with_effects([vfx.CrossFadeIn(frames / fps)])


def outgoing(piece: Any, kind: TransitionKind, first_frame: int, frames: int, fps: int) -> Any:
    """`piece` (the shot that a transition of `kind` over `frames` ends, from its frame `first_frame`) as it goes out
    under the next one."""
    if kind is not TransitionKind.fade_to_black:
        return piece  # a dissolve or wipe covers it with the next shot, unchanged

    def to_black(get_frame: Any, t: float) -> Any:
        progress = _progress(t, first_frame, frames, fps)
        return get_frame(t) if progress == 1.0 else get_frame(t) * _smoothstep(1.0 - FADE_PHASE, 1.0, progress)

    return piece.transform(to_black)
