"""The live graph as snapshot plus op log: an edit writes one log row, any process rebuilds the same graph."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect
from sqlmodel import Session, select

from server.auth.tokens import AccessClaims, read_access_token
from server.db.tables import GraphOpLog, Project, ProjectMember, Role, User
from server.errors import (
    AuthenticationError,
    GraphEditError,
    PermissionDeniedError,
    ProjectNotFoundError,
    VersionConflictError,
)
from server.graph_limits import GraphLimitError, GraphLimits
from server.projects.graph_ops import graph_ops
from server.projects.live_graph import LiveGraphs
from server.projects.service import ProjectService
from tests.support.factories import TestUser, create_project, make_user

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
LIMITS = GraphLimits()


def add(node_id: str) -> list[dict[str, Any]]:
    node = {"id": node_id, "type": "ShotNode", "position": {"x": 0.0, "y": 0.0}, "data": {"prompt": node_id}}
    return [{"op": "add_node", "node": node}]


def move(node_id: str, x: float) -> list[dict[str, Any]]:
    return [{"op": "move_nodes", "moves": [{"node_id": node_id, "position": {"x": x, "y": 1.0}}]}]


def edit(graphs: LiveGraphs, engine: Engine, project_id: str, version: int, ops: list[dict[str, Any]]) -> int:
    with Session(engine) as session:
        project = session.get(Project, project_id)
        assert project is not None
        return graphs.edit(session, project, version, graph_ops(ops), LIMITS).version


def stored(engine: Engine, project_id: str) -> tuple[Project, list[int]]:
    with Session(engine, expire_on_commit=False) as session:
        project = session.get(Project, project_id)
        assert project is not None
        logged = session.exec(select(GraphOpLog.version).where(GraphOpLog.project_id == project_id)).all()
        return project, sorted(logged)


def read(graphs: LiveGraphs, engine: Engine, project_id: str) -> dict[str, Any]:
    with Session(engine) as session:
        project = session.get(Project, project_id)
        assert project is not None
        return graphs.read(session, project)


@pytest.fixture
def alice(client: TestClient, engine: Engine) -> TestUser:
    return make_user(client, engine, "alice")


@pytest.fixture
def project_id(client: TestClient, alice: TestUser) -> str:
    return str(create_project(client, alice)["id"])


def test_an_edit_logs_its_ops_and_leaves_the_snapshot_alone(engine: Engine, project_id: str) -> None:
    graphs = LiveGraphs()
    snapshot_before = stored(engine, project_id)[0].graph
    assert edit(graphs, engine, project_id, 1, add("a")) == 2
    assert edit(graphs, engine, project_id, 2, move("a", 5.0)) == 3
    project, logged = stored(engine, project_id)
    assert (project.version, project.graph_version, logged) == (3, 1, [2, 3])
    assert project.graph == snapshot_before
    expected = {"id": "a", "type": "ShotNode", "position": {"x": 5.0, "y": 1.0}, "data": {"prompt": "a"}}
    assert read(graphs, engine, project_id)["nodes"] == [expected]
    # Another process (its own cache) rebuilds the same graph from the snapshot and the log.
    assert read(LiveGraphs(), engine, project_id) == read(graphs, engine, project_id)


def test_an_edit_by_another_process_is_seen_and_a_stale_one_conflicts(engine: Engine, project_id: str) -> None:
    here, there = LiveGraphs(), LiveGraphs()
    edit(here, engine, project_id, 1, add("a"))
    edit(there, engine, project_id, 2, add("b"))
    assert [n["id"] for n in read(here, engine, project_id)["nodes"]] == ["a", "b"]
    with pytest.raises(VersionConflictError):
        edit(here, engine, project_id, 2, add("c"))
    assert stored(engine, project_id)[0].version == 3


def test_a_refused_edit_changes_nothing(engine: Engine, project_id: str) -> None:
    graphs = LiveGraphs()
    edit(graphs, engine, project_id, 1, add("a"))
    # The first op applies to the cached graph before the second fails: nothing of it may remain.
    with pytest.raises(GraphEditError, match="no node 'ghost'"):
        edit(graphs, engine, project_id, 2, [*add("b"), *move("ghost", 1.0)])
    assert [n["id"] for n in read(graphs, engine, project_id)["nodes"]] == ["a"]
    assert stored(engine, project_id)[0].version == 2


def test_folding_stores_the_snapshot_and_drops_the_log(engine: Engine, project_id: str) -> None:
    graphs = LiveGraphs()
    for version, ops in enumerate([add("a"), add("b"), move("a", 9.0)], start=1):
        edit(graphs, engine, project_id, version, ops)
    live = read(graphs, engine, project_id)
    with Session(engine) as session:
        project = session.get(Project, project_id)
        assert project is not None
        graphs.fold(session, project)
    project, logged = stored(engine, project_id)
    assert (project.version, project.graph_version, logged) == (4, 4, [])
    assert orjson.loads(project.graph) == live
    assert read(LiveGraphs(), engine, project_id) == live


def test_of_concurrent_edits_on_one_version_exactly_one_wins(engine: Engine, project_id: str) -> None:
    # One cache per writer: as many server processes, each sure of version 1.
    outcomes: list[str] = []

    def attempt(k: int) -> None:
        try:
            edit(LiveGraphs(), engine, project_id, 1, add(f"n{k}"))
            outcomes.append("won")
        except VersionConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=attempt, args=(k,)) for k in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 5 + ["won"]
    project, logged = stored(engine, project_id)
    assert (project.version, logged) == (2, [2])
    assert len(read(LiveGraphs(), engine, project_id)["nodes"]) == 1


def test_a_whole_graph_write_drops_the_log(
    client: TestClient, engine: Engine, alice: TestUser, project_id: str
) -> None:
    edit(LiveGraphs(), engine, project_id, 1, add("a"))
    replaced = {"schema_version": 1, "nodes": [], "edges": []}
    response = client.put(
        f"/api/v1/projects/{project_id}", json={"version": 2, "graph": replaced}, headers=alice.headers
    )
    assert response.status_code == 200, response.text
    project, logged = stored(engine, project_id)
    assert (project.version, project.graph_version, logged) == (3, 3, [])
    assert orjson.loads(project.graph)["nodes"] == []


def test_a_save_of_settings_only_keeps_the_logged_edits(
    client: TestClient, engine: Engine, alice: TestUser, project_id: str
) -> None:
    edit(LiveGraphs(), engine, project_id, 1, add("a"))
    body = {"version": 2, "name": "Renamed"}
    response = client.put(f"/api/v1/projects/{project_id}", json=body, headers=alice.headers)
    assert response.status_code == 200, response.text
    project, logged = stored(engine, project_id)
    assert (project.version, project.graph_version, logged) == (3, 1, [2, 3])
    assert [n["id"] for n in read(LiveGraphs(), engine, project_id)["nodes"]] == ["a"]
    assert edit(LiveGraphs(), engine, project_id, 3, add("b")) == 4


def test_the_whole_graph_limit_holds_although_edits_do_not_serialise_the_graph(engine: Engine, project_id: str) -> None:
    """Edits only bound the graph's size; the edit that would pass the limit is measured exactly and refused."""
    graphs, limits = LiveGraphs(), GraphLimits(max_graph_bytes=2048)
    version = 1
    for k in range(40):
        try:
            with Session(engine) as session:
                project = session.get(Project, project_id)
                assert project is not None
                version = graphs.edit(session, project, version, graph_ops(add(f"node-{k:02d}")), limits).version
        except GraphLimitError as exc:
            assert "STUDIO_GRAPH_MAX_GRAPH_BYTES" in exc.message
            break
    else:
        pytest.fail("no edit was refused although the graph outgrew the limit")
    live = read(graphs, engine, project_id)
    assert len(orjson.dumps(live)) <= 2048 < len(orjson.dumps(live)) + len(orjson.dumps(add("node-99")[0]["node"]))
    assert [n["id"] for n in live["nodes"]] == [f"node-{i:02d}" for i in range(k)]
    # What a full sync sends is the graph as edited, serialised again after the edits.
    with Session(engine) as session:
        project = session.get(Project, project_id)
        assert project is not None
        assert orjson.loads(graphs.read_json(session, project)[1]) == read(LiveGraphs(), engine, project_id)


def test_opening_a_project_reads_its_stored_graph_only_to_rebuild_the_live_graph(
    app: FastAPI, engine: Engine, alice: TestUser, project_id: str
) -> None:
    """Every socket event opens its project (the permission check): the stored graph, MBs at 2,000 nodes, is not
    read for that, only by a process that has no live graph of this version yet."""
    edit(LiveGraphs(), engine, project_id, 1, add("a"))
    with Session(engine, expire_on_commit=False) as session:
        user = session.exec(select(User).where(User.username == alice.username)).one()
        projects = ProjectService(
            session, app.state.settings, app.state.git_lfs, app.state.events, app.state.access_watch
        )
        project = projects.open(user, project_id).project
        assert "graph" in inspect(project).unloaded
        assert [n["id"] for n in LiveGraphs().read(session, project)["nodes"]] == ["a"]  # rebuilt: read now


def test_a_version_is_serialised_once_for_every_sync_and_an_edit_gives_the_new_graph(
    engine: Engine, project_id: str
) -> None:
    graphs = LiveGraphs()
    edit(graphs, engine, project_id, 1, add("a"))
    with Session(engine) as session:
        project = session.get(Project, project_id)
        assert project is not None
        first, again = graphs.read_json(session, project), graphs.read_json(session, project)
    assert first[0] == again[0] == 2
    assert again[1] is first[1]  # the same bytes: encoded once, however many sockets sync this version
    edit(graphs, engine, project_id, 2, move("a", 7.0))
    with Session(engine) as session:
        project = session.get(Project, project_id)
        assert project is not None
        version, after = graphs.read_json(session, project)
    assert version == 3
    assert orjson.loads(after)["nodes"][0]["position"] == {"x": 7.0, "y": 1.0}
    assert orjson.loads(first[1])["nodes"][0]["position"] == {"x": 0.0, "y": 0.0}


def test_a_socket_edit_checks_the_token_and_the_role_it_reads_in_one_query(
    app: FastAPI, client: TestClient, engine: Engine, alice: TestUser, project_id: str
) -> None:
    bob = make_user(client, engine, "bob")
    claims = {user.username: read_access_token(user.token, app.state.settings) for user in (alice, bob)}

    def socket_edit(who: AccessClaims, version: int, node_id: str, project: str = project_id) -> int:
        with Session(engine, expire_on_commit=False) as session:
            projects = ProjectService(
                session, app.state.settings, app.state.git_lfs, app.state.events, app.state.access_watch
            )
            return projects.apply_socket_ops(who, project, version, graph_ops(add(node_id))).version

    def share(role: Role) -> None:
        with Session(engine) as session:
            session.merge(ProjectMember(project_id=project_id, user_id=claims["bob"].user_id, role=role))
            session.commit()

    assert socket_edit(claims["alice"], 1, "by-owner") == 2
    with pytest.raises(ProjectNotFoundError):  # not a member: the project looks absent
        socket_edit(claims["bob"], 2, "by-stranger")
    with pytest.raises(ProjectNotFoundError):
        socket_edit(claims["alice"], 2, "nowhere", project="no-such-project")
    share(Role.VIEWER)
    with pytest.raises(PermissionDeniedError, match="You are a viewer of 'My Film'"):
        socket_edit(claims["bob"], 2, "by-viewer")
    share(Role.EDITOR)
    assert socket_edit(claims["bob"], 2, "by-editor") == 3
    with pytest.raises(VersionConflictError):
        socket_edit(claims["bob"], 2, "stale")

    ended = replace(claims["bob"], generation=claims["bob"].generation - 1)  # issued before a sign-out everywhere
    expired = replace(claims["bob"], expires_at=datetime.now(UTC) - timedelta(seconds=1))
    gone = replace(claims["bob"], user_id=claims["bob"].user_id + 100)
    for refused, message in ((ended, "session was ended"), (expired, "expired"), (gone, "no longer exists")):
        with pytest.raises(AuthenticationError, match=message):
            socket_edit(refused, 3, "refused")
    project, logged = stored(engine, project_id)
    assert (project.version, logged) == (3, [2, 3])
    assert [n["id"] for n in read(LiveGraphs(), engine, project_id)["nodes"]] == ["by-owner", "by-editor"]
