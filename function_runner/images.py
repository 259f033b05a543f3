"""Building the base, stack and pipeline images, cached by a hash of their recipe (rebuilt only on change)."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import docker
from docker.errors import APIError, ImageNotFound
from docker.types import Mount

from function_runner.build_cache import exclusive
from function_runner.config import RunnerConfig
from function_runner.errors import RunnerError
from function_runner.manifest import DEFAULT_ENTRYPOINT, Pipeline
from function_runner.stacks import DOCKERFILE, INSTALL_SCRIPT, Stack, TorchVariant, digest, load_stack
from function_runner.wheelhouse import IMAGE_PYTHON, ensure_installer, ensure_wheelhouse, installer_version

RECIPE_LABEL = "studio.recipe"
BASE_TAG = "studio/base:local"
ROOTFS_REPOSITORY = "studio/rootfs"
STACK_REPOSITORY = "studio/stack-"
PACKAGES_SUFFIX = "-packages"  # studio/stack-<name>-packages:local, the committed install below a stack layer
STACK_USER = "65534:65534"
# Where a layer's install sees the wheelhouse: a folder every Debian image has, so the commit adds no mount point.
WHEELHOUSE_MOUNT = "/mnt"
COMMIT_TIMEOUT_S = 3600
# In the stacks cache: one image build at a time on the machine (every build's prune of untagged images could take a
# layer another build is still building on, and two builds of one tag would both build it).
BUILD_LOCK = ".image-builds.lock"
SDK_FILES = ("__init__.py", "sdk.py")
SDK_DIR = Path(__file__).resolve().parent
# Never part of an image: development files next to the pipeline code.
EXCLUDED = ("__pycache__", ".pytest_cache", ".venv", "samples")
# Weights come from the model store, mounted read-only at run time; never inside an image.
WEIGHT_SUFFIXES = frozenset({".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".onnx", ".gguf", ".h5", ".msgpack"})
LogSink = Callable[[str], None]
# A context entry: its name in the tar, and its bytes or the host file that holds them (wheels: large).
ContextFile = tuple[str, bytes | Path]


class ImageBuildError(RunnerError):
    """docker build (or the offline rootfs build) failed; the message carries the build log tail."""


@dataclass(frozen=True)
class BuiltImage:
    tag: str
    recipe: str
    rebuilt: bool


def _ignore(_line: str) -> None:
    return None


def folder_files(folder: Path) -> list[tuple[str, bytes]]:
    files = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        excluded = any(part in EXCLUDED for part in relative.parts) or relative.name.startswith("test_")
        if path.is_file() and not excluded:
            files.append((relative.as_posix(), path.read_bytes()))
    return files


def _write_context(files: list[ContextFile], target: IO[bytes]) -> None:
    """The build context as a tar streamed to `target` (a temporary file: wheels do not fit in memory)."""
    with tarfile.open(fileobj=target, mode="w") as tar:
        for name, content in files:
            info = tarfile.TarInfo(name)
            info.size = len(content) if isinstance(content, bytes) else content.stat().st_size
            info.mode, info.mtime = 0o644, 0
            if isinstance(content, bytes):
                tar.addfile(info, io.BytesIO(content))
            else:
                with content.open("rb") as handle:
                    tar.addfile(info, handle)
    target.seek(0)


def current_recipe(client: docker.DockerClient, tag: str) -> str | None:
    try:
        labels = client.images.get(tag).labels or {}
    except ImageNotFound:
        return None
    return labels.get(RECIPE_LABEL)


def build_image(
    client: docker.DockerClient,
    tag: str,
    files: list[ContextFile],
    recipe: str,
    what: str,
    buildargs: dict[str, str],
    on_log: LogSink,
) -> None:
    """docker build, each output line passed to `on_log` as it comes (a torch layer takes minutes)."""
    log: list[str] = []
    with tempfile.TemporaryFile() as context:
        _write_context(files, context)
        try:
            for chunk in client.api.build(
                fileobj=context,
                custom_context=True,
                tag=tag,
                buildargs=buildargs,
                labels={RECIPE_LABEL: recipe},
                rm=True,
                forcerm=True,
                pull=False,
                decode=True,
            ):
                line = str(chunk.get("stream") or chunk.get("status") or "").rstrip()
                if line:
                    log.append(line)
                    on_log(line)
                if "error" in chunk:
                    raise ImageBuildError(
                        f"Building {what} ({tag}) failed: {chunk['error']}. Build log tail: {chr(10).join(log)[-1500:]}"
                    )
        except APIError as exc:
            raise ImageBuildError(f"Building {what} ({tag}) failed: {exc}.") from exc
    # The previous build of this tag is now untagged; drop it so rebuilds do not pile up on disk.
    client.images.prune(filters={"dangling": True, "label": RECIPE_LABEL})


def build_rootfs(client: docker.DockerClient, base_dir: Path) -> BuiltImage:
    """The offline Debian root filesystem (debootstrap + docker import), tagged by its recipe hash."""
    script = base_dir / "build-rootfs.sh"
    recipe = digest([(script.name, script.read_bytes())])
    tag = f"{ROOTFS_REPOSITORY}:{recipe}"
    try:
        client.images.get(tag)
        return BuiltImage(tag=tag, recipe=recipe, rebuilt=False)
    except ImageNotFound:
        pass
    completed = subprocess.run(["bash", str(script), tag], capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise ImageBuildError(
            f"Building the offline base root filesystem failed: {completed.stderr[-1500:]}. "
            "It needs root, debootstrap and the Debian mirror (./dev.sh test installs debootstrap)."
        )
    return BuiltImage(tag=tag, recipe=recipe, rebuilt=True)


def build_base(
    client: docker.DockerClient, base_dir: Path, base_image: str | None = None, on_log: LogSink = _ignore
) -> BuiltImage:
    """studio/base:local FROM base_image (default: the offline rootfs), rebuilt only on recipe change."""
    upstream = base_image or build_rootfs(client, base_dir).tag
    files: list[tuple[str, bytes]] = [("Dockerfile", (base_dir / "Dockerfile").read_bytes())]
    files += [(f"function_runner/{name}", (SDK_DIR / name).read_bytes()) for name in SDK_FILES]
    recipe = digest([*files, ("BASE_IMAGE", upstream.encode())])
    if current_recipe(client, BASE_TAG) == recipe:
        return BuiltImage(tag=BASE_TAG, recipe=recipe, rebuilt=False)
    build_image(client, BASE_TAG, list(files), recipe, "the pipeline base image", {"BASE_IMAGE": upstream}, on_log)
    return BuiltImage(tag=BASE_TAG, recipe=recipe, rebuilt=True)


def stack_tag(stack: Stack) -> str:
    return f"{STACK_REPOSITORY}{stack.name}:local"


def packages_tag(stack: Stack) -> str:
    return f"{STACK_REPOSITORY}{stack.name}{PACKAGES_SUFFIX}:local"


@dataclass(frozen=True)
class Wheels:
    """What installing a layer reads on the host: the chain's wheelhouse (mounted) and uv's wheel (copied in)."""

    wheelhouse: Path
    installer: Path


def install_packages(
    client: docker.DockerClient,
    stack: Stack,
    below: BuiltImage,
    variant: TorchVariant,
    wheels: Callable[[], Wheels],
    on_log: LogSink = _ignore,
) -> BuiltImage:
    """The layer's packages installed on the image below, rebuilt only when its packages' recipe changes.

    install.sh runs as root without network in a container of the image below, the wheelhouse mounted
    read-only, and the container is committed: the image holds the installed packages and no wheel.
    `wheels` (which may download) is called only when the install must run.
    """
    recipes = stack.recipes
    parts: list[tuple[str, bytes]] = [
        (INSTALL_SCRIPT, (recipes / INSTALL_SCRIPT).read_bytes()),
        ("requirements.txt", "\n".join([*stack.requirements, ""]).encode()),
        ("constraints.txt", stack.constraints.read_bytes()),
        ("no-deps.txt", "\n".join([*stack.no_deps, ""]).encode()),
    ]
    below_parts = [("BELOW", below.recipe.encode()), ("TORCH_VARIANT", variant.encode())]
    recipe = digest([*parts, *below_parts, ("UV", installer_version().encode())])
    tag = packages_tag(stack)
    if current_recipe(client, tag) == recipe:
        return BuiltImage(tag=tag, recipe=recipe, rebuilt=False)
    found = wheels()
    on_log(f"installing the packages of stack '{stack.name}' on {below.tag}")
    container = client.containers.create(
        below.tag,
        command=["sh", f"/tmp/stack/{INSTALL_SCRIPT}"],
        user="0:0",
        network_disabled=True,
        # A mount, not `volumes=`: the SDK also writes those into the container's config as VOLUMEs, which the
        # commit would keep, giving every pipeline container a writable anonymous volume there.
        mounts=[Mount(WHEELHOUSE_MOUNT, str(found.wheelhouse.resolve()), type="bind", read_only=True)],
    )
    try:
        container.put_archive("/tmp", _tar([*((f"stack/{n}", c) for n, c in parts), ("stack/uv.whl", found.installer)]))
        container.start()
        log: list[str] = []
        for chunk in container.logs(stream=True, follow=True):
            for line in chunk.decode("utf-8", errors="replace").splitlines():
                log.append(line)
                on_log(line)
        exit_code = int(container.wait().get("StatusCode", -1))
        if exit_code != 0:
            raise ImageBuildError(
                f"Installing the packages of stack '{stack.name}' on {below.tag} failed (exit code {exit_code}): "
                f"{chr(10).join(log[-15:])}\nCheck that {found.wheelhouse} holds every pinned package "
                "(delete that folder to download it again), then build again."
            )
        # The container's command (install.sh) would otherwise become the image's.
        cmd = f"CMD {json.dumps(list(DEFAULT_ENTRYPOINT))}"
        changes = [cmd, f"USER {STACK_USER}", f"LABEL {RECIPE_LABEL}={recipe}"]
        repository, _, version = tag.rpartition(":")
        # Committing gigabytes (7 GB for the f5 stack) outlasts the client's 60 s read timeout; the engine
        # answers only when the layer is written.
        default_timeout, client.api.timeout = client.api.timeout, COMMIT_TIMEOUT_S
        try:
            container.commit(repository=repository, tag=version, changes=changes)
        finally:
            client.api.timeout = default_timeout
    except APIError as exc:
        raise ImageBuildError(f"Installing the packages of stack '{stack.name}' ({tag}) failed: {exc}.") from exc
    finally:
        container.remove(force=True)
    client.images.prune(filters={"dangling": True, "label": RECIPE_LABEL})
    return BuiltImage(tag=tag, recipe=recipe, rebuilt=True)


def _tar(files: list[ContextFile]) -> bytes:
    with tempfile.TemporaryFile() as target:
        _write_context(files, target)
        return target.read()


def build_stack(
    client: docker.DockerClient, stack: Stack, packages: BuiltImage, variant: TorchVariant, on_log: LogSink = _ignore
) -> BuiltImage:
    """The stack's layer: its modules, environment and user on its installed packages; rebuilt only on change."""
    parts: list[tuple[str, bytes]] = [
        ("Dockerfile", (stack.recipes / DOCKERFILE).read_bytes()),
        (f"lib/.stack-{stack.name}", b""),
        *((f"lib/{module.name}", module.read_bytes()) for module in stack.modules()),
    ]
    recipe = digest([*parts, ("PACKAGES", packages.recipe.encode()), ("TORCH_VARIANT", variant.encode())])
    tag = stack_tag(stack)
    if current_recipe(client, tag) == recipe:
        return BuiltImage(tag=tag, recipe=recipe, rebuilt=False)
    buildargs = {"PACKAGES_IMAGE": packages.tag, "TORCH_VARIANT": variant}
    build_image(client, tag, list(parts), recipe, f"stack '{stack.name}'", buildargs, on_log)
    return BuiltImage(tag=tag, recipe=recipe, rebuilt=True)


def build_pipeline(
    client: docker.DockerClient, pipeline: Pipeline, below: BuiltImage, on_log: LogSink = _ignore
) -> BuiltImage:
    """The pipeline's image (manifest field `image`) FROM its stack's image or the base, rebuilt only on change."""
    files = folder_files(pipeline.folder)
    if "Dockerfile" not in dict(files):
        raise ImageBuildError(
            f"Pipeline '{pipeline.id}' has no Dockerfile in {pipeline.folder}. "
            "Add one (`studio pipelines new` writes a template)."
        )
    baked = sorted(name for name, _ in files if Path(name).suffix.lower() in WEIGHT_SUFFIXES)
    if baked:
        raise ImageBuildError(
            f"Pipeline '{pipeline.id}': {', '.join(baked)} look like model weights. Weights are never baked "
            "into images: move them to the model store and declare them under 'weights' in pipeline.json."
        )
    recipe = digest([*files, ("BASE", below.recipe.encode())])
    tag = pipeline.manifest.image
    if current_recipe(client, tag) == recipe:
        return BuiltImage(tag=tag, recipe=recipe, rebuilt=False)
    build_image(client, tag, list(files), recipe, f"pipeline '{pipeline.id}'", {"BASE_IMAGE": below.tag}, on_log)
    return BuiltImage(tag=tag, recipe=recipe, rebuilt=True)


class ImageChain:
    """Builds a pipeline's image with everything under it: rootfs, base, its stack's layers, each once.

    Ten pipelines on one stack check (and, if their recipe changed, build) the heavy layers once.
    """

    def __init__(
        self,
        client: docker.DockerClient,
        config: RunnerConfig,
        base_image: str | None = None,
        on_log: LogSink = _ignore,
    ) -> None:
        self.client = client
        self.config = config
        self.base_image = base_image
        self.on_log = on_log
        self._base: BuiltImage | None = None
        self._stacks: dict[str, BuiltImage] = {}
        self._locked = False

    @contextlib.contextmanager
    def build_lock(self) -> Iterator[None]:
        """Held while this chain checks or builds images; another process's chain (or deploy build) waits for it."""
        if self._locked:  # an outer call of this chain holds it
            yield
            return
        waiting = "waiting for another image build on this machine to finish"
        with exclusive(self.config.stack_cache / BUILD_LOCK, on_wait=lambda: self.on_log(waiting)):
            self._locked = True
            try:
                yield
            finally:
                self._locked = False

    def base(self) -> BuiltImage:
        with self.build_lock():
            if self._base is None:
                self._base = build_base(self.client, self.config.images_dir / "base", self.base_image, self.on_log)
            return self._base

    def stack(self, stack: Stack) -> BuiltImage:
        with self.build_lock():
            if stack.name not in self._stacks:
                below = self.stack(stack.parent) if stack.parent else self.base()
                config = self.config

                def wheels() -> Wheels:
                    cache, variant, python = config.stack_cache, config.torch_variant, config.python
                    wheelhouse = ensure_wheelhouse(cache, stack, variant, python, IMAGE_PYTHON, self.on_log)
                    return Wheels(wheelhouse, ensure_installer(cache, python, self.on_log))

                packages = install_packages(self.client, stack, below, config.torch_variant, wheels, self.on_log)
                built = build_stack(self.client, stack, packages, config.torch_variant, self.on_log)
                self._stacks[stack.name] = built
            return self._stacks[stack.name]

    def pipeline(self, pipeline: Pipeline) -> BuiltImage:
        with self.build_lock():
            name = pipeline.manifest.stack
            below = self.stack(load_stack(self.config.stack_recipes, name)) if name else self.base()
            return build_pipeline(self.client, pipeline, below, self.on_log)
