"""A stack's virtualenv for the process backend: built from its wheelhouse, with its pins and no-deps packages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from function_runner.stack_env import ensure_stack_env
from function_runner.stacks import load_stack


def test_a_virtualenv_holds_the_pinned_wheels_and_a_source_only_package_without_its_dependencies(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "stacks" / "tiny"
    folder.mkdir(parents=True)
    (folder / "requirements.txt").write_text("six\n")
    # encodec is published as source only (vocos needs it): the wheelhouse builds its wheel; it declares torch,
    # which --no-deps must keep out.
    (folder / "no-deps.txt").write_text("encodec\n")
    (folder / "constraints.txt").write_text("six==1.16.0\nencodec==0.1.1\npip==26.3\n")
    logged: list[str] = []
    python = ensure_stack_env(
        tmp_path / "cache", load_stack(tmp_path / "stacks", "tiny"), "cpu", sys.executable, logged.append
    )
    probe = (
        "import importlib.metadata as m, importlib.util as u; "
        "print(m.version('six'), m.version('encodec'), u.find_spec('torch') is None, u.find_spec('pip') is None)"
    )
    completed = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=True)
    assert completed.stdout.split() == ["1.16.0", "0.1.1", "True", "True"]  # pinned; no torch; uv installed it
    assert any("creating the virtualenv of stack 'tiny'" in line for line in logged)
