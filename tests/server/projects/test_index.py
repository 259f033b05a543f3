"""`studio reindex` (server/projects/index.py): rows follow their folders, and ids stay the database's."""

from __future__ import annotations

import shutil

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from server.db.tables import Project
from server.projects.index import reindex
from tests.support.factories import TestUser, create_project


def test_a_renamed_folder_keeps_its_project_and_a_copied_one_is_skipped(
    app: FastAPI, client: TestClient, alice: TestUser
) -> None:
    created = create_project(client, alice, "Night Train")
    projects_dir = app.state.settings.projects_dir
    (projects_dir / created["slug"]).rename(projects_dir / "Night-Train-Final")

    with Session(app.state.engine) as session:
        renamed = reindex(session, app.state.settings)
        row = session.get(Project, created["id"])
    assert renamed.updated == ["Night-Train-Final"] and renamed.removed == []
    assert row is not None and row.slug == "Night-Train-Final"

    # A copy of the folder carries the same project.json uuid: it must not take over the project.
    copy = projects_dir / "Night-Train-Copy"
    copy.mkdir()
    for name in ("project.json", "02_Source_Creative"):
        source = projects_dir / "Night-Train-Final" / name
        if source.is_dir():
            shutil.copytree(source, copy / name)
        else:
            (copy / name).write_bytes(source.read_bytes())
    with Session(app.state.engine) as session:
        copied = reindex(session, app.state.settings)
        row = session.get(Project, created["id"])
    assert [s.split(":")[0] for s in copied.skipped] == ["Night-Train-Copy"]
    assert "carries the id of project 'Night-Train-Final'" in copied.skipped[0]
    assert row is not None and row.slug == "Night-Train-Final"
