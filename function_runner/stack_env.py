"""The process backend's twin of a stack image: a virtualenv built once from the stack's wheelhouse.

`<stacks cache>/venvs/<stack>-<package recipe>/` is made with the studio's interpreter (`python -m
venv`) and filled with `pip install --no-index` from the wheelhouse, so it holds exactly the pinned
packages the image layer holds; the studio's own environment never gets torch. It is rebuilt only
when a requirement, a constraint or the torch variant changes.
"""

from __future__ import annotations

from pathlib import Path

from function_runner.build_cache import LogSink, building, is_built, run_logged
from function_runner.stacks import REQUIREMENTS, Stack, TorchVariant, packages_recipe
from function_runner.wheelhouse import ensure_wheelhouse, interpreter_version


def venv_dir(cache: Path, stack: Stack, variant: TorchVariant) -> Path:
    return cache / "venvs" / f"{stack.name}-{packages_recipe(stack, variant)}"


def venv_python(folder: Path) -> Path:
    return folder / "bin" / "python"


def stack_env_ready(cache: Path, stack: Stack, variant: TorchVariant) -> bool:
    return is_built(venv_dir(cache, stack, variant))


def ensure_stack_env(cache: Path, stack: Stack, variant: TorchVariant, python: str, on_log: LogSink) -> Path:
    """The interpreter of the stack's virtualenv, building the environment first if it is missing."""
    target = venv_dir(cache, stack, variant)
    if is_built(target):
        return venv_python(target)
    wheels = ensure_wheelhouse(cache, stack, variant, python, interpreter_version(python), on_log)
    with building(target) as scratch:
        if scratch is not None:
            on_log(f"creating the virtualenv of stack '{stack.name}' ({variant})")
            fix = f"Check that {python} can create virtualenvs (python3-venv) and that {wheels} is complete."
            command = [python, "-m", "venv", "--without-pip", str(scratch)]
            run_logged(command, on_log, what="Creating the virtualenv", fix=fix)
            # uv, not pip: it unpacks wheels in parallel and hard-links them from its cache (a CUDA torch
            # stack installs in minutes, not the ~20 pip takes); the wheelhouse is the only index either way.
            command = [
                python, "-m", "uv", "pip", "install", "--no-progress", "--python", str(venv_python(scratch)),
                "--no-index", "--find-links", str(wheels),
                "-r", str(stack.folder / REQUIREMENTS), "-c", str(stack.constraints),
            ]  # fmt: skip
            run_logged(command, on_log, what=f"Installing stack '{stack.name}' into its virtualenv", fix=fix)
            if stack.chain_no_deps():
                options = command[: command.index("-r")]
                run_logged(
                    [*options, *stack.no_deps_arguments()],
                    on_log,
                    what=f"Installing the no-deps packages of stack '{stack.name}'",
                    fix=fix,
                )
    return venv_python(target)
