"""The pipeline SDK: read the request, report progress, write outputs (standard library only).

Pipeline code imports this module and nothing else from the studio; images carry it at
/opt/studio/function_runner/sdk.py. A one-shot pipeline:

    from function_runner import sdk

    def handle(request: sdk.Request, model: object) -> None:
        sdk.progress(50, "drawing")
        ...
        sdk.write_outputs({"image": "card.png"}, metadata={"width": 640})

    if __name__ == "__main__":
        sdk.run(handle)

With `serve: true` in the manifest, pass `load=` too: the model is loaded once and `handle` is
called for every job the runner queues to this process (STUDIO_SERVE_QUEUE is set then).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

IO_ENV = "STUDIO_IO"  # the job dir: /io in a container, the job dir itself in a process
MODELS_ENV = "STUDIO_MODELS"  # the read-only model store: /models in a container
SERVE_QUEUE_ENV = "STUDIO_SERVE_QUEUE"  # set for warm instances: the directory jobs are queued in
CONTROL_DIR = "ctl"  # per-job stdout/stderr/exit files of a warm instance, next to in/ and out/
RUNNER_PID_ENV = "STUDIO_RUNNER_PID"  # set for pipeline processes: the runner they serve, whose death ends them
# Set for containers, which cannot see the runner's process: a file the runner touches while it lives, and
# how many seconds without a touch end the instance.
RUNNER_LEASE_ENV = "STUDIO_RUNNER_LEASE"
RUNNER_LEASE_S_ENV = "STUDIO_RUNNER_LEASE_S"
RUNNER_CHECK_S = 0.5
RUNNER_GONE_EXIT = 75  # EX_TEMPFAIL: nothing wrong with the job, its runner went away
CANCEL_FILE = "cancel"  # in ctl/: the runner asks a warm job to stop at its next check
MANIFEST_FILE = "pipeline.json"
MODEL_RECORD = ".studio-model.json"  # in a model store folder, written by `studio models add|pull|verify`

_job_dir: Path | None = None


class SdkError(Exception):
    """A pipeline used the SDK wrongly (unknown input, output outside out/)."""


@dataclass(frozen=True)
class Request:
    """in/request.json: file inputs are names of files in in/; `path()` resolves them."""

    inputs: dict[str, Any]
    params: dict[str, Any]
    seed: int
    job_dir: Path
    # The studio's content gates for this run (e.g. {"sfw": {"threshold": 0.5}}): set by the runner, not the node.
    gates: dict[str, Any] = field(default_factory=dict)

    def path(self, name: str) -> Path:
        value = self.inputs.get(name)
        if not isinstance(value, str):
            raise SdkError(f"input '{name}' is not a file input (got {value!r})")
        return self.job_dir / "in" / value

    def get(self, name: str, default: Any = None) -> Any:
        return self.inputs.get(name, self.params.get(name, default))


def job_dir() -> Path:
    return _job_dir if _job_dir is not None else Path(os.environ.get(IO_ENV, "/io"))


def models_dir() -> Path:
    return Path(os.environ.get(MODELS_ENV, "/models"))


def model_file(folder: str, name: str) -> Path:
    """The file `name` of the model store folder `folder`; a missing one ends the job with a sentence naming the fix
    (the store as `<model store>`: where it lies on the host is the admin's, not the project members')."""
    path = models_dir() / folder / name
    if not path.is_file():
        raise SystemExit(
            f"{name} is missing from the model '{folder}' (<model store>/{folder}/). Add a folder holding it with "
            f"`studio models add {folder} FOLDER`, then run the pipeline again."
        )
    return path


def manifest() -> dict[str, Any]:
    """This pipeline's pipeline.json (both backends start the entrypoint in the pipeline's own folder)."""
    document: dict[str, Any] = json.loads(Path(MANIFEST_FILE).read_text(encoding="utf-8"))
    return document


def weights_folder(index: int = 0) -> Path:
    """The model store folder the manifest declares as `weights[index].path`, where the store is mounted."""
    return models_dir() / str(manifest()["weights"][index]["path"])


def model_record(folder: Path) -> dict[str, Any]:
    """The model store folder's record (`.studio-model.json`, schema model-record: its fingerprint and every file's
    sha256); empty for a folder added by hand without `studio models add`, whose takes then say so."""
    try:
        record: dict[str, Any] = json.loads((folder / MODEL_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def weights_fingerprint(folder: Path) -> str | None:
    """The store folder's recorded hash over all its files (None when it has no record)."""
    fingerprint = model_record(folder).get("fingerprint")
    return fingerprint if isinstance(fingerprint, str) else None


def read_request() -> Request:
    root = job_dir()
    document = json.loads((root / "in" / "request.json").read_text(encoding="utf-8"))
    return Request(
        inputs=dict(document.get("inputs", {})),
        params=dict(document.get("params", {})),
        seed=int(document.get("seed", 0)),
        job_dir=root,
        gates=dict(document.get("gates") or {}),
    )


def output_path(filename: str) -> Path:
    """Where to write an output file; refuses names that leave out/."""
    out = (job_dir() / "out").resolve()
    target = (out / filename).resolve()
    if not target.is_relative_to(out) or target == out:
        raise SdkError(f"output file {filename!r} must be a plain name inside out/")
    return target


def cancel_requested() -> bool:
    """Whether the runner asked this job to stop. Check it between steps: a warm instance then keeps its
    model loaded for the next job (a one-shot process is simply killed, so it never sees this)."""
    return (job_dir() / CONTROL_DIR / CANCEL_FILE).exists()


def progress(percent: float, step: str = "", metrics: dict[str, float] | None = None) -> None:
    """Report progress (0-100) as one JSON line on stdout; `metrics` (e.g. a training's `loss` and
    `training_step`) travel with it to the user (schemas/run-progress)."""
    clamped = max(0.0, min(100.0, float(percent)))
    line: dict[str, Any] = {"progress": clamped, "step": step}
    if metrics:
        line["metrics"] = metrics
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


def write_outputs(outputs: dict[str, str], metadata: dict[str, Any] | None = None) -> None:
    """Write out/result.json; every file named must already be written into out/."""
    for name, filename in outputs.items():
        if not output_path(filename).is_file():
            raise SdkError(f"output '{name}': out/{filename} has not been written")
    result = {"outputs": outputs, "metadata": metadata or {}}
    final = output_path("result.json")
    partial = final.with_name(".result.json.partial")
    partial.write_text(json.dumps(result, indent=2), encoding="utf-8")
    partial.replace(final)


Handler = Callable[[Request, Any], None]


def run(handle: Handler, load: Callable[[], Any] | None = None) -> None:
    """The entrypoint's main: one job from STUDIO_IO, or serve queued jobs when warm."""
    _watch_runner()
    model = load() if load is not None else None
    queue = os.environ.get(SERVE_QUEUE_ENV)
    if queue:
        _serve(Path(queue), handle, model)
        return
    handle(read_request(), model)


def _serve(queue: Path, handle: Handler, model: Any) -> None:
    """Warm instance loop: a queue entry's name is a job dir next to the queue folder."""
    global _job_dir
    jobs_root = queue.parent
    while True:
        entries = sorted(queue.iterdir()) if queue.is_dir() else []
        if not entries:
            time.sleep(0.005)
            continue
        entry = entries[0]
        try:
            entry.unlink()
        except FileNotFoundError:
            continue
        _job_dir = jobs_root / entry.name
        exit_code = _serve_one(handle, model, _job_dir / CONTROL_DIR)
        _job_dir = None
        status = jobs_root / entry.name / CONTROL_DIR / "exit.json"
        partial = status.with_name(".exit.json.partial")
        partial.write_text(json.dumps({"exit_code": exit_code}), encoding="utf-8")
        partial.replace(status)


def _watch_runner() -> None:
    """A worker killed outright (SIGKILL, the OOM killer) cannot stop what it started: a pipeline whose runner is
    gone ends itself, loading, running or idle, rather than hold its model's memory and GPU with no one to collect
    its work."""
    runner_alive = _runner_check()
    if runner_alive is None:
        return

    def watch() -> None:
        while runner_alive():
            time.sleep(RUNNER_CHECK_S)
        with contextlib.suppress(OSError):  # a pipe the dead runner read: no one to tell
            os.write(2, b"studio: the runner that started this pipeline is gone; exiting\n")
        os._exit(RUNNER_GONE_EXIT)

    threading.Thread(target=watch, name="runner-watch", daemon=True).start()


def _runner_check() -> Callable[[], bool] | None:
    """Whether the runner that started this pipeline still lives: a process's parent, a container's lease."""
    runner = os.environ.get(RUNNER_PID_ENV)
    if runner:
        return lambda: os.getppid() == int(runner)
    lease = os.environ.get(RUNNER_LEASE_ENV)
    if not lease:
        return None
    lease_file, lease_s = Path(lease), float(os.environ[RUNNER_LEASE_S_ENV])

    def renewed() -> bool:
        try:
            return time.time() - lease_file.stat().st_mtime < lease_s
        except FileNotFoundError:  # the runner stopped this instance (or its folder is gone)
            return False

    return renewed


def _serve_one(handle: Handler, model: Any, control: Path) -> int:
    """Run one job with fds 1 and 2 pointed at the job's own log files (children included)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with (
        open(control / "stdout.log", "ab", buffering=0) as out,
        open(control / "stderr.log", "ab", buffering=0) as err,
    ):
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        try:
            handle(read_request(), model)
            exit_code = 0
        except BaseException:  # the instance must survive a failing job and report it
            traceback.print_exc()
            exit_code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
    return exit_code
