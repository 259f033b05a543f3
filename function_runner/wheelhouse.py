"""The wheels of a stack, downloaded once on the host with pip (nothing inside a build reaches an index).

One wheelhouse per stack, package recipe and Python version, under `<stacks cache>/wheelhouse/`: the
image layer takes the wheels its parent layer lacks, the process backend's virtualenv installs from
it with `--no-index`. pip (not uv) downloads, because pip honours the machine's own configuration:
on the studio's machines the CPU torch wheel lies in a local find-links folder.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from function_runner.build_cache import LogSink, building, run_logged
from function_runner.errors import StackError
from function_runner.stacks import REQUIREMENTS, Stack, TorchVariant, packages_recipe

IMAGE_PYTHON = "3.11"  # the python3 of the Debian 12 base image
PIP_WHEEL = "pip-*.whl"
QUIET = ("--disable-pip-version-check", "--progress-bar", "off")


def wheelhouse_dir(cache: Path, stack: Stack, variant: TorchVariant, python_version: str) -> Path:
    return cache / "wheelhouse" / f"{stack.name}-{packages_recipe(stack, variant)}-py{python_version}"


def ensure_wheelhouse(
    cache: Path, stack: Stack, variant: TorchVariant, python: str, python_version: str, on_log: LogSink
) -> Path:
    """The folder of every wheel the stack's chain needs (plus pip's own), downloading it if missing."""
    target = wheelhouse_dir(cache, stack, variant, python_version)
    with building(target) as scratch:
        if scratch is not None:
            on_log(f"downloading the wheels of stack '{stack.name}' ({variant}, Python {python_version})")
            pins = ["-r", str(stack.folder / REQUIREMENTS), "-c", str(stack.constraints), "pip"]
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


def layer_wheels(cache: Path, stack: Stack, variant: TorchVariant, python: str, on_log: LogSink) -> list[Path]:
    """The wheels an image layer installs: its chain's wheelhouse minus what its parent layer has, plus pip."""
    own = ensure_wheelhouse(cache, stack, variant, python, IMAGE_PYTHON, on_log)
    below: set[str] = set()
    if stack.parent is not None:
        parent = ensure_wheelhouse(cache, stack.parent, variant, python, IMAGE_PYTHON, on_log)
        below = {wheel.name for wheel in parent.glob("*.whl")}
    return sorted(wheel for wheel in own.glob("*.whl") if wheel.name not in below or wheel.match(PIP_WHEEL))
