"""Docker backend: each run in a fresh hardened container, or on a warm one for `serve: true`."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

import docker
from docker.errors import DockerException, ImageNotFound, NotFound
from docker.models.containers import Container
from requests.exceptions import ConnectionError as RequestsConnectionError
from requests.exceptions import ReadTimeout

from function_runner.config import RunnerConfig
from function_runner.errors import EngineUnavailableError, ImageMissingError
from function_runner.execution import Execution, LineSplitter, Outcome, tail
from function_runner.hardening import (
    IO_MOUNT,
    JOBS_MOUNT,
    MODELS_MOUNT,
    container_options,
    verify_hardened,
    weight_mounts,
)
from function_runner.sdk import IO_ENV, MODELS_ENV, RUNNER_LEASE_ENV, RUNNER_LEASE_S_ENV, SERVE_QUEUE_ENV
from function_runner.warm import QUEUE_DIR, PooledBackend, WarmInstance

DEFAULT_SOCKET = "unix:///var/run/docker.sock"
PIPELINE_DIR = "/pipeline"  # where images put the pipeline folder (see pipeline_images/base)
LABEL = "studio.function-runner"
LEASE_FILE = ".lease"  # in the folder a container writes (a job dir, a warm root): see Lease
LEASE_RENEWALS = 6  # touches per lease period: a few missed (a stalled worker) do not end the container


def engine_socket_answers(docker_url: str | None) -> bool:
    """Whether a local engine's socket accepts connections (True for non-unix URLs: the client decides).

    Checked before building a client because a docker client whose first request fails on a
    missing socket leaks that socket (a ResourceWarning, an error under strict pytest).
    """
    url = docker_url or os.environ.get("DOCKER_HOST") or DEFAULT_SOCKET
    if not url.startswith("unix://"):
        return True
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(2)
        try:
            probe.connect(url.removeprefix("unix://"))
        except OSError:
            return False
    return True


def engine_address(docker_url: str | None) -> str:
    return docker_url or os.environ.get("DOCKER_HOST") or DEFAULT_SOCKET


def engine_configured(docker_url: str | None) -> bool:
    """Whether this machine names a Docker engine: a configured URL, DOCKER_HOST, or the default socket's file."""
    return bool(docker_url or os.environ.get("DOCKER_HOST")) or Path(DEFAULT_SOCKET.removeprefix("unix://")).exists()


def connect(config: RunnerConfig) -> docker.DockerClient:
    """A client for the configured engine; EngineUnavailableError when none answers."""
    if not engine_socket_answers(config.docker_url):
        where = engine_address(config.docker_url)
        raise EngineUnavailableError(
            f"No Docker engine answers at {where}. Start dockerd (./dev.sh test does) or use the process backend."
        )
    client = None
    try:
        client = docker.DockerClient(base_url=config.docker_url) if config.docker_url else docker.from_env()
        client.ping()
    except DockerException as exc:
        if client is not None:
            client.close()
        raise EngineUnavailableError(
            f"No Docker engine answers at {config.docker_url or 'the default socket'} ({exc}). "
            "Start dockerd (./dev.sh test does) or use the process backend."
        ) from exc
    return client


class DockerBackend(PooledBackend):
    name = "docker"

    def __init__(self, config: RunnerConfig, client: docker.DockerClient | None = None) -> None:
        self.client = client or connect(config)  # first: an engine that is not there fails before any pool
        self._owns_client = client is None
        super().__init__(config)
        # The latest containers this backend created, as inspected just before they started (tests
        # assert on them); bounded so a long-lived worker process does not grow.
        self.launched: deque[dict[str, Any]] = deque(maxlen=256)

    def execute(self, execution: Execution) -> Outcome:
        try:
            self._require_image(execution)
            return super().execute(execution)
        except (RequestsConnectionError, DockerException) as exc:
            if self._engine_answers():
                raise
            raise EngineUnavailableError(
                f"The Docker engine at {engine_address(self.config.docker_url)} stopped answering while pipeline "
                f"'{execution.pipeline.id}' ran ({exc.__class__.__name__}). Start the engine again (or fix "
                "DOCKER_HOST) and retry: the worker looks for it again on its next task.",
                pipeline_id=execution.pipeline.id,
            ) from exc

    def close(self) -> None:
        super().close()
        if self._owns_client:  # its pooled connections to the engine, which the GC would otherwise warn about
            self.client.close()

    def _engine_answers(self) -> bool:
        if not engine_socket_answers(self.config.docker_url):
            return False
        try:
            return bool(self.client.ping())
        except (RequestsConnectionError, DockerException):
            return False

    def image_built(self, image: str) -> bool:
        try:
            self.client.images.get(image)
        except ImageNotFound:
            return False
        return True

    def _require_image(self, execution: Execution) -> None:
        image = execution.pipeline.manifest.image
        if not self.image_built(image):
            raise ImageMissingError(
                f"Pipeline '{execution.pipeline.id}': image '{image}' (field 'image') is not built on this "
                f"engine. Build it with `studio pipelines build {execution.pipeline.id}`.",
                pipeline_id=execution.pipeline.id,
            )

    def _create(self, execution: Execution, mounts: dict[str, dict[str, str]], env: dict[str, str]) -> Container:
        pipeline = execution.pipeline
        options = container_options(pipeline, self.config, execution.gpu)
        options["environment"] = {**options["environment"], MODELS_ENV: MODELS_MOUNT, **env}
        if execution.gpu is not None:
            options["environment"]["CUDA_VISIBLE_DEVICES"] = "0"  # the one device the request exposes
        container: Container = self.client.containers.create(
            pipeline.manifest.image,
            command=list(pipeline.entrypoint),
            working_dir=PIPELINE_DIR,
            volumes={**weight_mounts(pipeline, self.config), **mounts},
            labels={LABEL: pipeline.id},
            detach=True,
            **options,
        )
        container.reload()
        try:
            verify_hardened(container.attrs, self.config, pipeline.id)
        except Exception:
            container.remove(force=True)
            raise
        self.launched.append(container.attrs)
        return container

    def _run_once(self, execution: Execution) -> Outcome:
        mounts = {str(execution.job_dir): {"bind": IO_MOUNT, "mode": "rw"}}
        with Lease(execution.job_dir / LEASE_FILE, self.config.lease_s) as lease:
            container = self._create(execution, mounts, {IO_ENV: IO_MOUNT, **lease.env(IO_MOUNT)})
            try:
                container.start()
                execution.token.on_cancel(lambda: _kill(container))
                reader = threading.Thread(target=_follow_stdout, args=(container, execution), daemon=True)
                reader.start()
                exit_code, timed_out = self._wait(container, execution)
                reader.join(timeout=5)
                stderr = container.logs(stdout=False, stderr=True, tail=self.config.stderr_tail_lines)
                lines: deque[str] = deque(stderr.decode("utf-8", errors="replace").splitlines())
                return Outcome(
                    exit_code=exit_code,
                    stderr_tail=tail(lines),
                    timed_out=timed_out,
                    cancelled=execution.token.cancelled and not timed_out,
                )
            finally:
                _remove(container)

    def _wait(self, container: Container, execution: Execution) -> tuple[int, bool]:
        """Exit code and whether the timeout struck; a cancel kills the container, which ends the wait."""
        deadline = time.monotonic() + execution.timeout_s
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                # The engine's wait is one long HTTP request; its read timeout is our poll interval.
                status = container.wait(timeout=max(1, min(remaining, 3600)))
                return int(status.get("StatusCode", -1)), False
            except ReadTimeout:
                continue
            except RequestsConnectionError:
                # docker-py reports the long poll's own read timeout on a unix socket as a connection error:
                # only an engine that does not answer a ping is gone.
                if not self._engine_answers():
                    raise
                continue
        _kill(container)
        status = container.wait(timeout=30)
        return int(status.get("StatusCode", -9)), True

    def _start_instance(self, execution: Execution, key: str, root: Path) -> WarmInstance:
        # Only this pipeline's warm root is writable: other pipelines' jobs stay out of reach.
        mounts = {str(root.resolve()): {"bind": JOBS_MOUNT, "mode": "rw"}}
        lease = Lease(root / LEASE_FILE, self.config.lease_s)
        try:
            container = self._create(
                execution, mounts, {SERVE_QUEUE_ENV: f"{JOBS_MOUNT}/{QUEUE_DIR}", **lease.env(JOBS_MOUNT)}
            )
            container.start()
        except BaseException:
            lease.end()
            raise
        return WarmContainer(key, container, lease)  # which ends the lease when it stops


class Lease:
    """A file the runner touches while a container it started may run. The container cannot see the runner's
    process; its SDK ends it once the file has not been touched for `seconds` (or is gone): a worker killed outright
    (SIGKILL, the OOM killer) cannot remove its containers, which would hold their models' memory and GPU."""

    def __init__(self, path: Path, seconds: float) -> None:
        self.path = path
        self.seconds = seconds
        path.touch()
        self._ended = threading.Event()
        threading.Thread(target=self._renew, name=f"lease-{path.parent.name}", daemon=True).start()

    def env(self, mount: str) -> dict[str, str]:
        """What the container's SDK watches: the file where `mount` shows the folder it lies in."""
        return {RUNNER_LEASE_ENV: f"{mount}/{self.path.name}", RUNNER_LEASE_S_ENV: str(self.seconds)}

    def end(self) -> None:
        """Stop renewing and remove the file: a container still running (the engine failed to remove it) ends."""
        self._ended.set()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> Lease:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.end()

    def _renew(self) -> None:
        while not self._ended.wait(self.seconds / LEASE_RENEWALS):
            with contextlib.suppress(FileNotFoundError):  # ended meanwhile
                os.utime(self.path)


class WarmContainer(WarmInstance):
    def __init__(self, key: str, container: Container, lease: Lease) -> None:
        super().__init__(key)
        self.container = container
        self.lease = lease
        self._stopped = False
        # A thread blocked in the engine's wait endpoint notices the exit; alive() then costs no
        # API call, which keeps warm dispatch in single-digit milliseconds.
        self._exited = threading.Event()
        threading.Thread(target=self._watch, name=f"warm-{key}", daemon=True).start()

    def _watch(self) -> None:
        while not self._stopped:
            try:
                self.container.wait(timeout=3600)
                break
            except NotFound:
                break
            except (RequestsConnectionError, ReadTimeout):  # the long poll timed out: wait again
                time.sleep(0.1)
        self._exited.set()

    def alive(self) -> bool:
        return not self._stopped and not self._exited.is_set()

    def log_tail(self, lines: int) -> str:
        try:
            output = self.container.logs(stdout=True, stderr=True, tail=lines)
        except DockerException:
            return ""
        return str(output.decode("utf-8", errors="replace")).strip()

    def stop(self) -> None:
        self._stopped = True
        self.lease.end()  # first: a container the engine fails to remove still ends itself
        _remove(self.container)


def _follow_stdout(container: Container, execution: Execution) -> None:
    splitter = LineSplitter(execution.on_line)
    stream = container.logs(stdout=True, stderr=False, stream=True, follow=True)
    try:
        for chunk in stream:
            splitter.feed(chunk)
    except (RequestsConnectionError, DockerException, OSError):
        pass  # the engine went away mid-run: the wait says so; this thread only reads what there was
    finally:
        stream.close()  # its connection, whatever ended the stream (a socket left to the GC is a ResourceWarning)
    splitter.flush()


def _kill(container: Container) -> None:
    with contextlib.suppress(DockerException, RequestsConnectionError):  # already gone, or the engine is
        container.kill()


def _remove(container: Container) -> None:
    deadline = time.monotonic() + 10
    while True:
        try:
            container.remove(force=True)
            return
        except (NotFound, RequestsConnectionError):  # gone, or the engine is: nothing left to remove here
            return
        except DockerException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
