"""Library stacks (pipeline_images/stacks/<name>/): the chain of layers a pipeline runs on, and their recipes.

A stack is a folder with a `requirements.txt` (its own packages; a first line
`-r ../<parent>/requirements.txt` builds it on the parent stack) and optional Python modules its
pipelines import. Every version comes from the one `constraints.txt` next to the stacks, unless a
stack that cannot share its pins (F5-TTS needs torchaudio, which only PyPI's build of an older torch runs
beside) brings its own `constraints.txt`: then that file pins it and the stacks built on it. An optional
`no-deps.txt` names packages installed without their declared dependencies (a declared dependency that
cannot run here and that the paths the stack uses never import; what they do need is in `requirements.txt`).
The same recipe gives a Docker image layer (images.py) and a virtualenv for the process backend (stack_env.py).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from function_runner.errors import StackError

REQUIREMENTS = "requirements.txt"
NO_DEPS = "no-deps.txt"
CONSTRAINTS = "constraints.txt"
DOCKERFILE = "Dockerfile"
INSTALL_SCRIPT = "install.sh"  # installs a layer's packages in a container (images.py)
STACK_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
PARENT_LINE = re.compile(r"^-r\s+\.\./(?P<parent>[a-z0-9][a-z0-9-]{0,40})/requirements\.txt$")
TorchVariant = Literal["cpu", "cuda"]
TORCH_VARIANTS: tuple[TorchVariant, ...] = ("cpu", "cuda")


@dataclass(frozen=True)
class Stack:
    """One layer: its own requirement lines, the layer below it, and the recipes folder it came from."""

    name: str
    folder: Path
    requirements: tuple[str, ...]
    parent: Stack | None
    no_deps: tuple[str, ...] = ()

    @property
    def recipes(self) -> Path:
        return self.folder.parent

    def chain(self) -> list[Stack]:
        """Root first: the order the layers are built in."""
        return [*(self.parent.chain() if self.parent else []), self]

    @property
    def constraints(self) -> Path:
        """The pins of this layer: its own constraints.txt, else its parent's, else the shared one."""
        if self.pins_own_torch:
            return self.folder / CONSTRAINTS
        return self.parent.constraints if self.parent else self.recipes / CONSTRAINTS

    @property
    def pins_own_torch(self) -> bool:
        """Whether the stack pins its own torch (own constraints.txt): pip then takes whatever build of that
        version it finds (PyPI's is a CUDA build, which also runs on the CPU), whatever the torch variant."""
        return (self.folder / CONSTRAINTS).is_file()

    def chain_no_deps(self) -> list[str]:
        """Every package of the chain installed without its declared dependencies."""
        return [name for layer in self.chain() for name in layer.no_deps]

    def no_deps_arguments(self) -> list[str]:
        """pip's arguments (after its options) for the chain's no-deps packages, at their pinned versions."""
        return ["--no-deps", "-c", str(self.constraints), *self.chain_no_deps()]

    def modules(self) -> list[Path]:
        """The stack's own Python modules, importable by its pipelines (e.g. diffusion_job.py)."""
        return sorted(path for path in self.folder.glob("*.py") if not path.name.startswith("test_"))


def load_stack(recipes: Path, name: str, _seen: tuple[str, ...] = ()) -> Stack:
    """The stack `name` under `recipes` with its parents; every problem is a StackError naming the fix."""
    folder = recipes / name
    if not STACK_NAME.match(name) or not (folder / REQUIREMENTS).is_file():
        known = sorted(p.parent.name for p in recipes.glob(f"*/{REQUIREMENTS}")) if recipes.is_dir() else []
        raise StackError(
            f"Stack '{name}' does not exist: {folder / REQUIREMENTS} is missing (known stacks: "
            f"{', '.join(known) or 'none'}). Name one of them in the manifest's 'stack' field."
        )
    if name in _seen:
        raise StackError(f"Stacks {' -> '.join([*_seen, name])} build on each other in a circle; break the cycle.")
    parent: Stack | None = None
    own: list[str] = []
    for raw in (folder / REQUIREMENTS).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = PARENT_LINE.match(line)
        if match:
            if parent is not None:
                raise StackError(f"Stack '{name}': {folder / REQUIREMENTS} names two parent stacks; keep one -r line.")
            parent = load_stack(recipes, match["parent"], (*_seen, name))
        elif line.startswith("-"):
            raise StackError(
                f"Stack '{name}': {folder / REQUIREMENTS} has the option line {line!r}; only "
                "'-r ../<parent>/requirements.txt' is allowed (versions belong in constraints.txt)."
            )
        else:
            own.append(line)
    if parent is not None and (folder / CONSTRAINTS).is_file():
        raise StackError(
            f"Stack '{name}' brings its own {CONSTRAINTS} and builds on '{parent.name}': a layer cannot change the "
            f"pins of the layers below it. Drop the -r line (install everything itself) or its {CONSTRAINTS}."
        )
    return Stack(
        name=name, folder=folder.resolve(), requirements=tuple(own), parent=parent, no_deps=_names(folder / NO_DEPS)
    )


def _names(path: Path) -> tuple[str, ...]:
    """The package names of a file, one a line, comments and blank lines skipped (none if it is absent)."""
    if not path.is_file():
        return ()
    return tuple(
        line for raw in path.read_text(encoding="utf-8").splitlines() if (line := raw.split("#", 1)[0].strip())
    )


def digest(parts: list[tuple[str, bytes]]) -> str:
    """A short hash of named parts, independent of their order (the recipe of an image or environment)."""
    hasher = hashlib.sha256()
    for name, content in sorted(parts):
        hasher.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return hasher.hexdigest()[:16]


def packages_recipe(stack: Stack, variant: TorchVariant) -> str:
    """What decides the installed packages: every requirement of the chain, the constraints, the variant.

    Wheelhouses and virtualenvs are keyed by it; the stack's Python modules are not part of it (the
    process backend imports them from the recipe folder, so editing one rebuilds nothing).
    """
    parts = [(f"{layer.name}/{REQUIREMENTS}", "\n".join(layer.requirements).encode()) for layer in stack.chain()]
    parts += [
        (f"{layer.name}/{NO_DEPS}", "\n".join(layer.no_deps).encode()) for layer in stack.chain() if layer.no_deps
    ]
    parts.append((CONSTRAINTS, stack.constraints.read_bytes()))
    parts.append(("TORCH_VARIANT", variant.encode()))
    return digest(parts)
