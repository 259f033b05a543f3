"""The pre-receive hook (`python -m server.gitserve.pre_receive`): refuses pushes the server cannot serve."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from server.gitserve.object_store import LocalObjectStore
from server.gitserve.push_checks import (
    materialise,
    missing_objects,
    parse_updates,
    project_file_problems,
    pushed_lfs_objects,
)
from server.gitserve.store_config import LfsStoreSettings, build_store
from server.graph.limits import GraphLimits

STATE_DIR_ENV = "STUDIO_STATE_DIR"


def main() -> int:
    updates = parse_updates(sys.stdin.read().splitlines())
    store = build_store(LfsStoreSettings(), Path(os.environ[STATE_DIR_ENV]))
    objects = pushed_lfs_objects(updates)
    missing = missing_objects(store, objects)
    if missing:
        listed = "\n".join(f"  {o.oid} ({o.size} bytes)" for o in missing[:20])
        print(
            f"studio: this push names {len(missing)} Git LFS object(s) the server does not have:\n{listed}\n"
            "studio: upload them first (`git lfs push --all origin`, or check that git-lfs is installed "
            "with `git lfs install`), then push again.",
            file=sys.stderr,
        )
        return 1
    problems = project_file_problems(updates, GraphLimits())
    if problems:
        for problem in problems:
            print(f"studio: {problem}", file=sys.stderr)
        print("studio: fix the file and push again.", file=sys.stderr)
        return 1
    if not isinstance(store, LocalObjectStore):
        git_dir = subprocess.run(
            ["git", "rev-parse", "--absolute-git-dir"], capture_output=True, check=True, text=True
        ).stdout.strip()
        materialise(store, objects, Path(git_dir) / "lfs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
