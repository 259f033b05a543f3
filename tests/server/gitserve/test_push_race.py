"""Pushes racing server-side commits: the repository lock serialises them, nothing is lost."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from server.projects.git import GitRepo, studio_author
from tests.support.git_client import GitClient, write

SERVER_COMMITS = 12
CLIENT_PUSHES = 4


@pytest.mark.slow
def test_a_push_racing_server_commits_loses_nothing(
    app: FastAPI, repo_url: str, alice_git: GitClient, tmp_path: Path, project: dict[str, Any]
) -> None:
    served = GitRepo(app.state.settings.projects_dir / project["slug"])
    work = alice_git.clone(repo_url, tmp_path / "work")
    failures: list[BaseException] = []

    def server_commits() -> None:
        try:
            for n in range(SERVER_COMMITS):
                with served.lock():  # what every server-side commit does (ProjectService._checkpoint)
                    path = f"04_Project_Files/Auto_Saves/server-{n:02d}.txt"
                    write(served.root / path, f"autosave {n}\n")
                    served.commit([path], f"server commit {n}", studio_author("alice"))
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    writer = threading.Thread(target=server_commits)
    writer.start()
    for n in range(CLIENT_PUSHES):
        write(work / f"02_Source_Creative/Scripts/client-{n}.txt", f"client {n}\n")
        alice_git.run("add", ".", cwd=work)
        alice_git.run("commit", "-qm", f"client commit {n}", cwd=work)
        for _attempt in range(30):  # a rejected push fetches, rebases and retries, as a person would
            if alice_git.run("push", "-q", "origin", "main", cwd=work, check=False).returncode == 0:
                break
            alice_git.run("pull", "-q", "--rebase", "origin", "main", cwd=work)
        else:
            pytest.fail(f"client commit {n} could not be pushed in 30 attempts")
    writer.join(timeout=120)
    assert not failures, failures

    subjects = served.run("log", "--format=%s").splitlines()
    assert {f"server commit {n}" for n in range(SERVER_COMMITS)} <= set(subjects)
    assert {f"client commit {n}" for n in range(CLIENT_PUSHES)} <= set(subjects)
    served.run("fsck", "--full", "--strict")  # raises GitCommandError on any problem
    assert served.run("status", "--porcelain") == ""
    for n in range(CLIENT_PUSHES):  # the working tree followed every accepted push
        assert (served.root / f"02_Source_Creative/Scripts/client-{n}.txt").read_text() == f"client {n}\n"
