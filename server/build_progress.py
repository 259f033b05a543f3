"""Progress of long CLI commands (image and environment builds, model pulls, reindex): a rich bar when the console
is a terminal, plain lines otherwise (CI logs, pipes), so a log never fills with redrawn bars."""

from __future__ import annotations

import time
import warnings
from types import TracebackType
from typing import Any, ClassVar, Self

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from tqdm import TqdmExperimentalWarning
from tqdm.rich import tqdm_rich

from function_runner.images import BuiltImage


class StepProgress:
    """`total` steps: on a terminal a bar with the latest detail line under it; elsewhere one line per step."""

    def __init__(self, console: Console, description: str, total: int | None = None) -> None:
        self.console = console
        self.description = description
        self.total = total
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Self:
        if self.console.is_terminal:
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("[dim]{task.fields[detail]}"),
                console=self.console,
                transient=True,  # the bar goes when done; the step lines printed above it stay
            )
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=self.total, detail="")
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _value: BaseException | None, _traceback: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def detail(self, line: str) -> None:
        """The latest output of the current step (a build's log line): only on a terminal, where it is redrawn."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, detail=line.strip()[:80])

    def step(self, message: str) -> None:
        """One step done: its line is printed (above the bar on a terminal) and the bar moves."""
        self.console.print(message, highlight=False, soft_wrap=True)  # a long line stays one line in a log
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task)


class BuildProgress(StepProgress):
    """Images and stack environments: each result printed once, with the time its build took."""

    def __init__(self, console: Console, total: int | None = None) -> None:
        super().__init__(console, "building", total)
        self._started = time.monotonic()
        self._reported: set[str] = set()

    def log(self, line: str) -> None:
        self.detail(line)

    def line(self, label: str, *, rebuilt: bool) -> None:
        if label in self._reported:
            return
        self._reported.add(label)
        elapsed = time.monotonic() - self._started
        self.step(f"{label}  {'built' if rebuilt else 'up to date'}" + (f" ({elapsed:.0f} s)" if rebuilt else ""))
        self._started = time.monotonic()

    def done(self, image: BuiltImage) -> None:
        self.line(image.tag, rebuilt=image.rebuilt)


class RichDownloadBars(tqdm_rich):  # type: ignore[misc]
    """The bars huggingface_hub draws for a model pull (files fetched, bytes), drawn by rich on `console`."""

    console: ClassVar[Console]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with warnings.catch_warnings():  # tqdm marks its rich bars experimental; they are what is wanted here
            warnings.simplefilter("ignore", TqdmExperimentalWarning)
            # Drawn on its console only: a bar huggingface_hub leaves open must not keep sys.stdout redirected
            # (rich's default) after the pull; the pull prints nothing else while its bars run.
            options = {"console": self.console, "redirect_stdout": False, "redirect_stderr": False}
            super().__init__(*args, options=options, **kwargs)


def download_bars(console: Console) -> type[RichDownloadBars] | None:
    """The tqdm class a pull draws its bars with: rich on a terminal; None elsewhere (huggingface_hub then draws
    none, as it does whenever its output is not a terminal)."""
    if not console.is_terminal:
        return None
    return type("ConsoleDownloadBars", (RichDownloadBars,), {"console": console})
