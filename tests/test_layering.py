"""import-linter keeps the layering of pyproject.toml true: the tree as it is passes, and a forbidden import planted
in a copy of it (a service importing the API, a job importing Celery, a package no layer names) breaks it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.import_graph import rings

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("layering") / "tree"
    for package in ("server", "function_runner", "schemas"):
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}  # the copy, not the installed checkout
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _planted(pristine: Path, tmp_path: Path, module: str, line: str) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(pristine, tree)
    path = tree / module
    path.write_text(path.read_text() + f"\n{line}\n")
    return tree


def test_the_tree_as_it_is_keeps_every_contract(pristine: Path) -> None:
    done = _lint(pristine)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 5 kept, 0 broken." in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("server/projects/naming.py", "import server.api.deps", "server is layered BROKEN"),
        ("server/jobs/queue.py", "import celery", "services never import Celery or Socket.IO BROKEN"),
        ("server/realtime/sink.py", "import server.tasks.celery_app", "api, realtime and tasks are independent BROKEN"),
        ("server/media/types.py", "import server.takes.store", "server is layered BROKEN"),
    ],
)
def test_a_planted_forbidden_import_breaks_a_contract(
    pristine: Path, tmp_path: Path, module: str, line: str, broken: str
) -> None:
    done = _lint(_planted(pristine, tmp_path, module, line))
    assert done.returncode == 1, done.stdout
    assert broken in done.stdout
    assert module.removesuffix(".py").replace("/", ".") in done.stdout  # the report names the importer


def test_a_package_no_layer_names_breaks_the_layering(pristine: Path, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(pristine, tree)
    (tree / "server" / "unplaced").mkdir()
    (tree / "server" / "unplaced" / "__init__.py").write_text('"""A package added without a layer."""\n')
    done = _lint(tree)
    assert done.returncode == 1 and "server.unplaced" in done.stdout, done.stdout


def test_the_import_drawing_names_rings_longer_than_two() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"f"}, "f": {"e"}}
    assert rings(edges) == [["a", "b", "c"], ["e", "f"]]
    assert rings({"a": {"b"}, "b": set()}) == []
