"""A stack layer's packages are installed in a container with the wheelhouse mounted and committed: the image
holds the installed packages and the stack's modules, never a wheel, and a failed install names the problem."""

from __future__ import annotations

import contextlib
import shutil
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest
from docker.errors import ImageNotFound

from function_runner.images import (
    RECIPE_LABEL,
    ImageBuildError,
    Wheels,
    build_stack,
    install_packages,
    packages_tag,
    stack_tag,
)
from function_runner.stacks import DOCKERFILE, INSTALL_SCRIPT, Stack, load_stack
from function_runner.wheelhouse import ensure_installer
from tests.support.runner import PIPELINE_IMAGES, image_chain, require_docker
from tests.support.stack_models import STACKS_CACHE

pytestmark = pytest.mark.docker

NAME = "studio-test-layer"
WHEEL = "studio_probe_pkg-1.0-py3-none-any.whl"


def probe_wheel(folder: Path) -> Path:
    """A pure-Python wheel made here: `studio_probe_pkg.VALUE == 41`."""
    path = folder / WHEEL
    dist = "studio_probe_pkg-1.0.dist-info"
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("studio_probe_pkg/__init__.py", "VALUE = 41\n")
        wheel.writestr(f"{dist}/METADATA", "Metadata-Version: 2.1\nName: studio-probe-pkg\nVersion: 1.0\n")
        tags = "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        wheel.writestr(f"{dist}/WHEEL", tags)
        wheel.writestr(f"{dist}/RECORD", "")
    return path


def recipes(tmp_path: Path, requirement: str, module: str) -> Stack:
    """A recipes folder with the studio's Dockerfile and install.sh and one stack `NAME`."""
    folder = tmp_path / "stacks"
    (folder / NAME).mkdir(parents=True, exist_ok=True)
    for name in (DOCKERFILE, INSTALL_SCRIPT):
        shutil.copy(PIPELINE_IMAGES / "stacks" / name, folder / name)
    (folder / "constraints.txt").write_text("studio-probe-pkg==1.0\n")
    (folder / NAME / "requirements.txt").write_text(f"{requirement}\n")
    (folder / NAME / "probe_module.py").write_text(module)
    return load_stack(folder, NAME)


@pytest.fixture
def client() -> Iterator[docker.DockerClient]:
    engine = require_docker()
    yield engine
    stack = Stack(name=NAME, folder=Path(NAME), requirements=(), parent=None)
    for tag in (stack_tag(stack), packages_tag(stack)):
        with contextlib.suppress(ImageNotFound):
            engine.images.remove(tag, force=True)


@pytest.fixture
def wheels(tmp_path: Path) -> Wheels:
    wheelhouse = tmp_path / "wheelhouse"
    wheelhouse.mkdir()
    probe_wheel(wheelhouse)
    return Wheels(wheelhouse, ensure_installer(STACKS_CACHE, sys.executable, lambda _line: None))


def run(client: docker.DockerClient, image: str, script: str) -> str:
    output: bytes = client.containers.run(image, ["sh", "-c", script], network_disabled=True, remove=True)
    return output.decode().strip()


def test_a_layer_holds_its_packages_and_modules_and_no_wheel(
    client: docker.DockerClient, wheels: Wheels, tmp_path: Path
) -> None:
    base = image_chain().base()
    stack = recipes(tmp_path, "studio-probe-pkg", "X = 7\n")
    asked: list[bool] = []

    def found() -> Wheels:
        asked.append(True)
        return wheels

    packages = install_packages(client, stack, base, "cpu", found)
    layer = build_stack(client, stack, packages, "cpu")
    assert packages.rebuilt and layer.rebuilt
    script = "python -c 'import studio_probe_pkg, probe_module; print(studio_probe_pkg.VALUE, probe_module.X)'"
    assert run(client, layer.tag, script) == "41 7"
    # Neither the wheel nor the install's scratch files were committed; the wheelhouse left no mount point.
    leftovers = f"find / -xdev -name {WHEEL}; ls /tmp; ls /mnt"
    assert run(client, layer.tag, leftovers) == ""
    config = client.images.get(layer.tag).attrs["Config"]
    assert config["Cmd"] == ["python3", "main.py"]  # not the install's command
    assert config["Entrypoint"] is None
    assert config["Volumes"] is None  # the wheelhouse mount left no VOLUME behind (a writable anonymous volume)
    assert config["User"] == "65534:65534"
    assert config["Labels"][RECIPE_LABEL] == layer.recipe
    assert config["Labels"]["studio.torch-variant"] == "cpu"

    # Unchanged: nothing runs, the wheels are not even looked up. A module edit rebuilds only the top layer.
    assert not install_packages(client, stack, base, "cpu", found).rebuilt
    assert len(asked) == 1
    edited = recipes(tmp_path, "studio-probe-pkg", "X = 8\n")
    again = install_packages(client, edited, base, "cpu", found)
    assert not again.rebuilt and again.recipe == packages.recipe
    relayered = build_stack(client, edited, again, "cpu")
    assert relayered.rebuilt
    assert run(client, relayered.tag, "python -c 'import probe_module; print(probe_module.X)'") == "8"


def containers_of(client: docker.DockerClient, image: str) -> set[str]:
    """The containers made from exactly this image: the check stays true while tests on other workers run
    pipeline containers (made from images above it). Sparse: a full listing inspects each container, and one
    another worker removes meanwhile fails it."""
    return {c.id for c in client.containers.list(all=True, sparse=True) if c.attrs["Image"] == image}


def test_a_package_missing_from_the_wheelhouse_names_it_and_tags_nothing(
    client: docker.DockerClient, wheels: Wheels, tmp_path: Path
) -> None:
    stack = recipes(tmp_path, "studio-absent-pkg", "")
    base = image_chain().base()
    before = containers_of(client, base.tag)
    with pytest.raises(ImageBuildError) as failure:
        install_packages(client, stack, base, "cpu", lambda: wheels)
    message = str(failure.value)
    assert f"Installing the packages of stack '{NAME}'" in message
    assert "studio-absent-pkg" in message  # uv's own line, from the log tail
    assert str(wheels.wheelhouse) in message and "build again" in message
    with pytest.raises(ImageNotFound):
        client.images.get(packages_tag(stack))
    assert containers_of(client, base.tag) == before
