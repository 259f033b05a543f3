"""A folder built once under a lock and moved into place whole, so no one ever sees a half-built one."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from function_runner.errors import StackError

LogSink = Callable[[str], None]
COMPLETE = ".complete"


def is_built(target: Path) -> bool:
    return (target / COMPLETE).is_file()


@contextmanager
def exclusive(lock_file: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """An flock on `lock_file` held for the block (processes on one host take turns); `on_wait` is called first when
    another holder makes this one wait."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as lock:  # closing it releases the lock
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@contextmanager
def building(target: Path) -> Iterator[Path | None]:
    """Yields a scratch folder to fill (renamed to `target` on success), or None when `target` exists.

    Several workers may ask for the same folder at once: the first builds it while the others wait
    on the lock and then find it built.
    """
    with exclusive(target.parent / f".{target.name}.lock"):
        if is_built(target):
            yield None
            return
        scratch = target.with_name(f".{target.name}.partial")
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(target, ignore_errors=True)
        scratch.mkdir()
        try:
            yield scratch
            (scratch / COMPLETE).touch()
            scratch.rename(target)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def run_logged(command: list[str], on_log: LogSink, *, what: str, fix: str) -> None:
    """Run a build command, passing each output line on; a failure raises with the output's tail."""
    lines: list[str] = []
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip())
            on_log(line.rstrip())
    if process.returncode != 0:
        tail = "\n".join(lines[-15:])
        raise StackError(f"{what} failed (exit code {process.returncode}): {tail}\n{fix}")
