"""CLI progress: a rich bar on a terminal, plain lines elsewhere (CI logs); model pulls draw rich bars too."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from server.build_progress import BuildProgress, StepProgress, download_bars
from server.graph.catalogue import load_catalogue
from server.models.pull import PullRequest, pull
from server.models.store import ModelStore
from tests.server.models.test_cli_models import REPO
from tests.support.local_hub import local_hub
from tests.support.model_folders import diffusers_folder


def console(terminal: bool) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=terminal, width=120, color_system=None), buffer


def test_without_a_terminal_each_step_is_one_plain_line_and_no_bar() -> None:
    plain, buffer = console(terminal=False)
    with BuildProgress(plain, total=2) as progress:
        progress.log("Step 3/9 : RUN apt-get install")  # a build's output: only a terminal shows it
        progress.line("studio/base:local", rebuilt=False)
        progress.line("studio/base:local", rebuilt=False)  # reported once
        progress.line("studio/cpu-tts:local", rebuilt=False)
        progress.line("stack 'diffusers' virtualenv " + "/very/long/path" * 10, rebuilt=False)
    lines = buffer.getvalue().splitlines()
    assert lines[:2] == ["studio/base:local  up to date", "studio/cpu-tts:local  up to date"]
    assert len(lines) == 3 and lines[2].endswith("/very/long/path  up to date")  # never wrapped, whatever its length


def test_on_a_terminal_a_bar_counts_the_steps_and_shows_the_latest_output() -> None:
    terminal, buffer = console(terminal=True)
    with StepProgress(terminal, "reindexing", total=3) as progress:
        progress.detail("reading the manifest")
        progress.step("reading Film-A")
        progress.step("reading Film-B")
    drawn = buffer.getvalue()
    assert "reading Film-A" in drawn and "reading Film-B" in drawn
    assert "reindexing" in drawn and "2/3" in drawn
    assert "reading the manifest" in drawn
    assert "\x1b[" in drawn  # cursor control: a live display, not plain lines


def test_no_bars_class_for_a_pull_without_a_terminal() -> None:
    assert download_bars(console(terminal=False)[0]) is None


def test_a_pull_on_a_terminal_draws_its_download_with_rich(tmp_path: Path) -> None:
    terminal, buffer = console(terminal=True)
    store = ModelStore(tmp_path / "Models", load_catalogue([]).pipelines)
    with local_hub({REPO: diffusers_folder(tmp_path / "hub", "sd15")}) as hub:
        record = pull(store, PullRequest("sd15", REPO, endpoint=hub.url), tqdm_class=download_bars(terminal))
    drawn = buffer.getvalue()
    assert record.files
    assert f"Fetching {len(hub.files(REPO))} files" in drawn
    assert "\x1b[" in drawn
