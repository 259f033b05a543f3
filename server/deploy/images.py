"""The deployment's service images (app, Redis, PostgreSQL), built offline FROM the pipeline base image.

No registry is reachable on the studio's machines, so each image is the base image (studio/base:local,
the offline Debian rootfs) plus what its folder under deploy/images/ names: Debian packages
(`packages.txt`), downloaded on the host by apt against the base image's own package database, so
exactly the missing ones come (no index is reachable inside a build); for the app, its Python wheels
(downloaded on the host by pip, as the stacks' are) and its source tree with the built canvas. Each image
is tagged studio/<name>:local and labelled with its recipe hash: an unchanged recipe is not rebuilt.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path

import docker

from function_runner.build_cache import building, run_logged
from function_runner.images import BuiltImage, ContextFile, build_image, current_recipe, folder_files
from function_runner.stacks import digest
from server.errors import StudioError

REPO_ROOT = Path(__file__).resolve().parents[2]
IMAGES_DIR = REPO_ROOT / "deploy" / "images"
SERVICES = ("app", "redis", "postgres")
PACKAGES = "packages.txt"
# What the app image holds of the checkout: the code, the seeds and the built canvas (the studio finds
# them next to its packages, as in a checkout).
APP_TREE = ("server", "function_runner", "schemas", "library", "workspace_template", "pipeline_images")
CANVAS_BUILD = REPO_ROOT / "canvas_frontend" / "build"
LogSink = Callable[[str], None]
# Debian 12's python3, exactly: markers such as python_full_version < "3.11.3" (redis needs
# async-timeout below it) must be decided for this interpreter, not for 3.11.0.
IMAGE_PYTHON = "3.11.2"


class DeployBuildError(StudioError):
    """A service image cannot be built (its inputs are missing or a download failed)."""


def service_tag(name: str) -> str:
    return f"studio/{name}:local"


def _debs(cache: Path, client: docker.DockerClient, base: BuiltImage, packages: list[str], on_log: LogSink) -> Path:
    """The .deb files `packages` need on top of the base image, downloaded once per (packages, base)."""
    target = cache / "debs" / digest([("packages", " ".join(packages).encode()), ("base", base.recipe.encode())])
    with building(target) as scratch:
        if scratch is not None:
            on_log(f"downloading Debian packages: {' '.join(packages)}")
            # apt resolves against the image's package database, so it fetches exactly what the image lacks.
            status = scratch / "status"
            status.write_bytes(
                client.containers.run(base.tag, ["cat", "/var/lib/dpkg/status"], remove=True, network_mode="none")
            )
            archives = scratch / "archives"
            (archives / "partial").mkdir(parents=True)
            command = [
                "apt-get", "install", "--download-only", "--no-install-recommends", "-y", "-q",
                "-o", f"Dir::State::status={status}", "-o", f"Dir::Cache::archives={archives}", *packages,
            ]  # fmt: skip
            run_logged(
                command,
                on_log,
                what=f"Downloading the Debian packages {', '.join(packages)}",
                fix="apt-get needs root and the Debian mirror on this host (run `apt-get update` first).",
            )
            shutil.rmtree(archives / "partial")
    return target / "archives"


def _wheels(cache: Path, python: str, on_log: LogSink) -> Path:
    """The app's pinned requirements and their wheels for the image's Python, downloaded once per lock."""
    pyproject, lock = REPO_ROOT / "pyproject.toml", REPO_ROOT / "requirements.lock"
    dependencies = json.dumps(tomllib.loads(pyproject.read_text())["project"]["dependencies"]).encode()
    key = digest([("dependencies", dependencies), ("lock", lock.read_bytes()), ("python", IMAGE_PYTHON.encode())])
    target = cache / "wheels" / f"app-{key}"
    with building(target) as scratch:
        if scratch is not None:
            on_log(f"resolving and downloading the studio's wheels (Python {IMAGE_PYTHON})")
            requirements = scratch / "requirements.txt"
            # uv decides the markers for the image's interpreter (pip would for the host's), within the lock's pins.
            resolve = [
                str(Path(python).with_name("uv")), "pip", "compile", str(pyproject), "-c", str(lock),
                "--python-version", IMAGE_PYTHON, "--python-platform", "x86_64-unknown-linux-gnu",
                "--no-header", "--no-annotate", "--quiet", "-o", str(requirements),
            ]  # fmt: skip
            download = [
                python, "-m", "pip", "download", "--disable-pip-version-check", "--progress-bar", "off",
                "--no-deps", "--only-binary=:all:", "--python-version", IMAGE_PYTHON, "--dest", str(scratch),
                "-r", str(requirements), "pip",
            ]  # fmt: skip
            fix = "uv and pip need the package index (or a local mirror in their configuration) on this host."
            run_logged(resolve, on_log, what="Resolving the studio's requirements for the image", fix=fix)
            run_logged(download, on_log, what="Downloading the studio's wheels", fix=fix)
    return target


def _app_tree() -> list[tuple[str, bytes]]:
    if not (CANVAS_BUILD / "index.html").is_file():
        raise DeployBuildError(
            f"The canvas is not built ({CANVAS_BUILD} has no index.html), so the app image would serve no UI. "
            "Build it with `npm run --prefix canvas_frontend build` (./dev.sh up and ./dev.sh test do), then again."
        )
    files = [("app/pyproject.toml", (REPO_ROOT / "pyproject.toml").read_bytes())]
    for folder in APP_TREE:
        files += [(f"app/{folder}/{name}", content) for name, content in folder_files(REPO_ROOT / folder)]
    files += [(f"app/canvas_frontend/build/{name}", content) for name, content in folder_files(CANVAS_BUILD)]
    return files


def build_service(
    client: docker.DockerClient, name: str, base: BuiltImage, cache: Path, python: str, on_log: LogSink
) -> BuiltImage:
    """studio/<name>:local FROM the base image, rebuilt only when its recipe changed."""
    folder = IMAGES_DIR / name
    recipe_files = folder_files(folder)
    packages = (folder / PACKAGES).read_text().split() if (folder / PACKAGES).is_file() else []
    tree = _app_tree() if name == "app" else []
    recipe = digest([*recipe_files, *tree, ("BASE", base.recipe.encode())])
    tag = service_tag(name)
    if current_recipe(client, tag) == recipe:
        return BuiltImage(tag=tag, recipe=recipe, rebuilt=False)
    files: list[ContextFile] = [*recipe_files, *tree, ("debs/.keep", b"")]
    if packages:
        debs = _debs(cache, client, base, packages, on_log)
        files += [(f"debs/{deb.name}", deb) for deb in sorted(debs.glob("*.deb"))]
    if name == "app":
        wheels = _wheels(cache, python, on_log)
        files += [("requirements.txt", (wheels / "requirements.txt").read_bytes())]
        files += [(f"wheels/{wheel.name}", wheel) for wheel in sorted(wheels.glob("*.whl"))]
    build_image(client, tag, files, recipe, f"the {name} service image", {"BASE_IMAGE": base.tag}, on_log)
    return BuiltImage(tag=tag, recipe=recipe, rebuilt=True)
