"""Stacks and tiny models for tests: the shared stack virtualenvs, and tiny weights in a model store.

The stack virtualenvs (torch + diffusers, minutes to build) live in one cache shared by every test run
on the machine: STUDIO_STACKS_DIR, default `<repo>/.cache/stacks` (`./dev.sh test` points it at the user's
cache and builds them first with `studio pipelines build`). Tiny models are built by
tests/support/tiny_models.py in the stack's interpreter, then recorded like `studio models add` records a folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import cache
from pathlib import Path

from function_runner.stack_env import ensure_stack_env
from function_runner.stacks import load_stack
from function_runner.weights import write_record
from schemas.models.model_record import Source

REPO = Path(__file__).resolve().parents[2]
STACK_RECIPES = REPO / "pipeline_images" / "stacks"
STACKS_CACHE = Path(os.environ.get("STUDIO_STACKS_DIR") or REPO / ".cache" / "stacks")


@cache
def stack_python(name: str = "diffusers") -> Path:
    """The stack's virtualenv interpreter (built on first use, then shared by every test run)."""
    return ensure_stack_env(STACKS_CACHE, load_stack(STACK_RECIPES, name), "cpu", sys.executable, lambda _line: None)


# Tiny models built by another module than tiny_models.py, maybe in another stack: kind -> (module, stack).
BUILT_ELSEWHERE = {
    "upscale-networks": ("tests.support.tiny_spandrel", "diffusers"),
    "restoration-networks": ("tests.support.tiny_spandrel", "diffusers"),
    **{
        kind: ("tests.support.tiny_faceswap", "insightface")
        for kind in (
            "insightface-buffalo-l",
            "inswapper-128",
            "nsfw-image-detection",
            "nsfw-image-detection-forced",
            "face-restore-networks",
        )
    },
    "F5TTS_v1_Base": ("tests.support.tiny_f5", "f5"),
    "vocos-mel-24khz": ("tests.support.tiny_f5", "f5"),
    "wav2lip": ("tests.support.tiny_talking", "lipsync"),
}


def build_tiny(kind: str, store: Path, name: str | None = None) -> Path:
    """`store/<name or kind>/`: the tiny random-weight model `kind`, saved and recorded; returns the folder."""
    folder = store / (name or kind)
    module, stack = BUILT_ELSEWHERE.get(kind, ("tests.support.tiny_models", "diffusers"))
    completed = subprocess.run(
        [str(stack_python(stack)), "-m", module, kind, str(folder)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(STACK_RECIPES / "diffusers")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, f"building the tiny {kind} failed:\n{completed.stderr[-3000:]}"
    write_record(folder, folder.name, Source(added_from=f"tests/support/tiny_models.py {kind}"))
    return folder


def build_forced_sfw_store(store: Path, models: tuple[str, ...]) -> Path:
    """`models` (tiny) beside an SFW classifier that rates everything not safe for work (its head bias makes "nsfw"
    win), under the gate's folder name: a gated pipeline's refusal, on demand."""
    for model in models:
        build_tiny(model, store)
    build_tiny("nsfw-image-detection-forced", store, name="nsfw-image-detection")
    return store


class TinyStore:
    """A model store of tiny models, each built the first time a test asks for it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def model(self, kind: str) -> Path:
        folder = self.root / kind
        return folder if folder.is_dir() else build_tiny(kind, self.root)
