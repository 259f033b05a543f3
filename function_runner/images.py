"""Building the base and pipeline images, cached by a hash of their recipe (rebuilt only on change)."""

from __future__ import annotations

import hashlib
import io
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import docker
from docker.errors import BuildError, ImageNotFound

from function_runner.errors import RunnerError
from function_runner.manifest import Pipeline

RECIPE_LABEL = "studio.recipe"
BASE_TAG = "studio/base:local"
ROOTFS_REPOSITORY = "studio/rootfs"
SDK_FILES = ("__init__.py", "sdk.py")
SDK_DIR = Path(__file__).resolve().parent
# Never part of an image: development files next to the pipeline code.
EXCLUDED = ("__pycache__", ".pytest_cache", ".venv", "samples")
# Weights come from the model store, mounted read-only at run time; never inside an image.
WEIGHT_SUFFIXES = frozenset({".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".onnx", ".gguf", ".h5", ".msgpack"})


class ImageBuildError(RunnerError):
    """docker build (or the offline rootfs build) failed; the message carries the build log tail."""


@dataclass(frozen=True)
class BuiltImage:
    tag: str
    recipe: str
    rebuilt: bool


def _digest(files: list[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for name, content in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()[:16]


def _folder_files(folder: Path) -> list[tuple[str, bytes]]:
    files = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        excluded = any(part in EXCLUDED for part in relative.parts) or relative.name.startswith("test_")
        if path.is_file() and not excluded:
            files.append((relative.as_posix(), path.read_bytes()))
    return files


def _context(files: list[tuple[str, bytes]]) -> io.BytesIO:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, content in files:
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(content), 0o644, 0
            tar.addfile(info, io.BytesIO(content))
    buffer.seek(0)
    return buffer


def _current_recipe(client: docker.DockerClient, tag: str) -> str | None:
    try:
        labels = client.images.get(tag).labels or {}
    except ImageNotFound:
        return None
    return labels.get(RECIPE_LABEL)


def _build(
    client: docker.DockerClient, tag: str, files: list[tuple[str, bytes]], recipe: str, base: str, what: str
) -> None:
    try:
        client.images.build(
            fileobj=_context(files),
            custom_context=True,
            tag=tag,
            buildargs={"BASE_IMAGE": base},
            labels={RECIPE_LABEL: recipe},
            rm=True,
            forcerm=True,
            pull=False,
        )
    except BuildError as exc:
        log = "".join(str(chunk.get("stream", chunk.get("error", ""))) for chunk in exc.build_log)
        raise ImageBuildError(f"Building {what} ({tag}) failed: {exc.msg}. Build log tail: {log[-1500:]}") from exc
    # The previous build of this tag is now untagged; drop it so rebuilds do not pile up on disk.
    client.images.prune(filters={"dangling": True, "label": RECIPE_LABEL})


def build_rootfs(client: docker.DockerClient, base_dir: Path) -> BuiltImage:
    """The offline Debian root filesystem (debootstrap + docker import), tagged by its recipe hash."""
    script = base_dir / "build-rootfs.sh"
    recipe = _digest([(script.name, script.read_bytes())])
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


def build_base(client: docker.DockerClient, base_dir: Path, base_image: str | None = None) -> BuiltImage:
    """studio/base:local FROM base_image (default: the offline rootfs), rebuilt only on recipe change."""
    upstream = base_image or build_rootfs(client, base_dir).tag
    files = [("Dockerfile", (base_dir / "Dockerfile").read_bytes())]
    files += [(f"function_runner/{name}", (SDK_DIR / name).read_bytes()) for name in SDK_FILES]
    recipe = _digest([*files, ("BASE_IMAGE", upstream.encode())])
    if _current_recipe(client, BASE_TAG) == recipe:
        return BuiltImage(tag=BASE_TAG, recipe=recipe, rebuilt=False)
    _build(client, BASE_TAG, files, recipe, upstream, "the pipeline base image")
    return BuiltImage(tag=BASE_TAG, recipe=recipe, rebuilt=True)


def build_pipeline(client: docker.DockerClient, pipeline: Pipeline, base: BuiltImage) -> BuiltImage:
    """The pipeline's image (manifest field `image`) FROM the base, rebuilt only on change."""
    files = _folder_files(pipeline.folder)
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
    recipe = _digest([*files, ("BASE", base.recipe.encode())])
    tag = pipeline.manifest.image
    if _current_recipe(client, tag) == recipe:
        return BuiltImage(tag=tag, recipe=recipe, rebuilt=False)
    _build(client, tag, files, recipe, base.tag, f"pipeline '{pipeline.id}'")
    return BuiltImage(tag=tag, recipe=recipe, rebuilt=True)
