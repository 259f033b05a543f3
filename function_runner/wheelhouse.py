"""The wheels of a stack, downloaded once on the host with pip (nothing inside a build reaches an index).

One wheelhouse per stack, package recipe and Python version, under `<stacks cache>/wheelhouse/`: the
image layer's install mounts it, the process backend's virtualenv installs from it with `--no-index`.
pip (not uv) downloads, because pip honours the machine's own configuration: on the studio's machines
the CPU torch wheel lies in a local find-links folder. uv installs, in both.
"""

from __future__ import annotations

import subprocess
from importlib.metadata import version
from pathlib import Path

from function_runner.build_cache import LogSink, building, run_logged
from function_runner.errors import StackError
from function_runner.stacks import REQUIREMENTS, Stack, TorchVariant, packages_recipe

IMAGE_PYTHON = "3.11"  # the python3 of the Debian 12 base image
INSTALLER = "uv"  # its wheel installs an image layer; the studio's environment pins its version
QUIET = ("--disable-pip-version-check", "--progress-bar", "off")


def wheelhouse_dir(cache: Path, stack: Stack, variant: TorchVariant, python_version: str) -> Path:
    return cache / "wheelhouse" / f"{stack.name}-{packages_recipe(stack, variant)}-py{python_version}"


def ensure_wheelhouse(
    cache: Path, stack: Stack, variant: TorchVariant, python: str, python_version: str, on_log: LogSink
) -> Path:
    """The folder of every wheel the stack's chain needs, downloading it if missing."""
    target = wheelhouse_dir(cache, stack, variant, python_version)
    with building(target) as scratch:
        if scratch is not None:
            on_log(f"downloading the wheels of stack '{stack.name}' ({variant}, Python {python_version})")
            pins = ["-r", str(stack.folder / REQUIREMENTS), "-c", str(stack.constraints)]
            if python_version == interpreter_version(python):
                # `pip wheel` keeps the wheels and builds one for each package PyPI has only as source
                # (the f5 stack's vocos needs encodec 0.1.1, published as source only).
                options = [python, "-m", "pip", "wheel", *QUIET, "--wheel-dir", str(scratch)]
            else:  # for another Python only published wheels fit
                options = [
                    python, "-m", "pip", "download", *QUIET, "--only-binary=:all:",
                    "--python-version", python_version, "--dest", str(scratch),
                ]  # fmt: skip
            fix = (
                "pip needs the package index (or a local mirror in its configuration) on this host; "
                "check `pip config list` and the network, then build again."
            )
            run_logged([*options, *pins], on_log, what=f"Downloading the wheels of stack '{stack.name}'", fix=fix)
            if stack.chain_no_deps():
                run_logged(
                    [*options, *stack.no_deps_arguments()],
                    on_log,
                    what=f"Downloading the no-deps wheels of stack '{stack.name}'",
                    fix=fix,
                )
            if not stack.pins_own_torch:
                check_torch_variant(scratch, variant)
    return target


def interpreter_version(python: str) -> str:
    """`major.minor` of the interpreter `python`."""
    completed = subprocess.run(
        [python, "-c", "import sys; print(f'{sys.version_info.major}.{sys.version_info.minor}')"],
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


def check_torch_variant(folder: Path, variant: TorchVariant) -> None:
    """The torch wheel pip chose must be the build the variant asks for; say how to get it otherwise."""
    for wheel in folder.glob("torch-*.whl"):
        is_cpu = "+cpu" in wheel.name
        if variant == "cpu" and not is_cpu:
            raise StackError(
                f"The torch variant is 'cpu' but pip downloaded {wheel.name} (a CUDA build, gigabytes). "
                "Point pip at the CPU builds (PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu, or a "
                "find-links folder holding the +cpu wheel) and build again, or set STUDIO_TORCH_VARIANT=cuda."
            )
        if variant == "cuda" and is_cpu:
            raise StackError(
                f"The torch variant is 'cuda' but pip chose {wheel.name}: its configuration serves the CPU "
                "build first (see `pip config list`: find-links). Build the CUDA variant on a GPU host whose "
                "pip reaches PyPI, or set STUDIO_TORCH_VARIANT=cpu."
            )


def installer_version() -> str:
    return version(INSTALLER)


def ensure_installer(cache: Path, python: str, on_log: LogSink) -> Path:
    """uv's wheel for this platform at the studio's own uv version (an image layer's install unpacks it)."""
    target = cache / "wheelhouse" / f"{INSTALLER}-{installer_version()}"
    with building(target) as scratch:
        if scratch is not None:
            on_log(f"downloading {INSTALLER} {installer_version()} for the image layers")
            command = [
                python, "-m", "pip", "download", *QUIET, "--only-binary=:all:", "--no-deps",
                "--dest", str(scratch), f"{INSTALLER}=={installer_version()}",
            ]  # fmt: skip
            fix = "pip needs the package index (or a local mirror in its configuration) on this host."
            run_logged(command, on_log, what=f"Downloading {INSTALLER}'s wheel", fix=fix)
    wheels = sorted(target.glob(f"{INSTALLER}-*.whl"))
    if len(wheels) != 1:
        raise StackError(f"{target} should hold exactly one {INSTALLER} wheel; delete the folder and build again.")
    return wheels[0]
