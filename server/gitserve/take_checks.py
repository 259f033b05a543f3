"""A push may not bring a second take of a task: exactly one take per task id (per render folder), whichever host
or worker made it.

Two stateless workers can run the same task (a worker that seemed dead had its task redelivered, and was only
slow): each commits a take in its own clone, and whichever pushes second would add a second take. The
idempotency check of `commit_take` cannot see a take that is still only in another host's clone, so the server
refuses it here, under the repository lock, against what the branch holds: the loser's push is refused with a
sentence, and its task already ended with the winner's take.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import PurePosixPath

from server.gitserve.push_checks import SERVED_BRANCH, ZERO_ID, RefUpdate
from server.takes.naming import RENDERS_DIR


def _git(*args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(["git", *args], input=stdin, capture_output=True, check=True).stdout


def _sidecars_changed(old: str, new: str) -> list[str]:
    listing = _git("diff", "--name-only", "-z", "--diff-filter=A", old, new, "--", RENDERS_DIR).decode()
    return [path for path in listing.split("\0") if path.endswith(".json")]


def _sidecars_in(tree: str, folders: set[str]) -> list[str]:
    listing = _git("ls-tree", "-r", "-z", "--name-only", tree, "--", *sorted(folders)).decode()
    return [path for path in listing.split("\0") if path.endswith(".json")]


def _task_ids(tree: str, paths: list[str]) -> dict[str, str]:
    """path → the task id its sidecar names (sidecars that do not parse, or name none, are left out)."""
    if not paths:
        return {}
    output = _git("cat-file", "--batch", stdin="".join(f"{tree}:{path}\n" for path in paths).encode())
    found, position = {}, 0
    for path in paths:
        header_end = output.index(b"\n", position)
        header = output[position:header_end].split()
        if header[-1] == b"missing":
            position = header_end + 1
            continue
        size = int(header[2])
        blob = output[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1
        try:
            task_id = json.loads(blob).get("task_id")
        except (ValueError, AttributeError):
            continue
        if isinstance(task_id, str):
            found[path] = task_id
    return found


def duplicate_take_problems(updates: list[RefUpdate]) -> list[str]:
    problems = []
    for update in updates:
        if update.ref != SERVED_BRANCH or ZERO_ID in (update.old, update.new):
            continue
        added = _task_ids(update.new, _sidecars_changed(update.old, update.new))
        if not added:
            continue
        folders = {str(PurePosixPath(path).parent) for path in added}
        held = _task_ids(update.old, _sidecars_in(update.old, folders))
        seen: dict[tuple[str, str], str] = {(str(PurePosixPath(p).parent), t): p for p, t in held.items()}
        for path, task_id in sorted(added.items()):
            key = (str(PurePosixPath(path).parent), task_id)
            if key in seen:
                problems.append(
                    f"{path} would be a second take of task {task_id}, which already has {seen[key]}; another "
                    "worker finished this task first, so this push was refused and its take discarded."
                )
            seen[key] = path
    return problems
