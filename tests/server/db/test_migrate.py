"""upgrade_database on SQLite and PostgreSQL: new, release-made, current, newer and foreign databases."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, MetaData, event, inspect, text
from sqlmodel import Session, select

from server.api.tasks import task_public
from server.auth.access_tokens import as_utc
from server.auth.users import create_user
from server.db.migrate import (
    DatabaseNewerThanStudioError,
    UnrecognisedDatabaseError,
    Upgrade,
    head_revision,
    migrations_config,
    upgrade_database,
)
from server.db.tables import (
    AccessToken,
    GraphOpLog,
    Project,
    ProjectMember,
    Role,
    Task,
    TaskState,
    TokenScope,
    User,
    utcnow,
)
from server.projects.live_graph import LiveGraphs
from server.system.bootstrap import prepare_workspace
from tests.conftest import make_settings
from tests.server.db.conftest import NewDatabase
from tests.support.release_schema import create_release_schema, schema_of

OpenEngine = Callable[[str], Engine]
T0 = datetime(2026, 11, 2, 9, 30, 15, 123456, tzinfo=UTC)
PROJECT_ID = "6f1c2a4e-8d3b-4c55-9e21-0a7b3c9d1e42"
GENERATE, RENDER = "tasks.shots.generate", "tasks.assembly.render_final_video"
# The two shapes the release kept in tasks.dispatch: a generation's decision, a render's target.
WAITING = "Waiting for a worker with at least 24 GB of VRAM for 't2i-sd1.5': none is online now."
RELEASE_DISPATCH = {
    GENERATE: {"queue": "gpu.24", "pipeline_id": "t2i-sd1.5", "quality_requested": "high", "quality_used": "high",
               "fallback": None, "waiting_for": WAITING},
    RENDER: {"queue": "cpu", "sequence_node_id": "seq", "output_path": "06_Exports/final_cut.mp4"},
}  # fmt: skip


def release_rows(connection: Connection) -> dict[str, list[dict[str, Any]]]:
    """Rows written the way the release wrote them (enum members by Python name), inserted one by one."""
    rows: dict[str, list[dict[str, Any]]] = {
        "users": [
            {"username": "admin", "password_hash": "$argon2id$v=19$one", "is_admin": True, "created_at": T0},
            {"username": "bea", "password_hash": "$argon2id$v=19$two", "is_admin": False, "created_at": T0},
            {"username": "carl", "password_hash": "$argon2id$v=19$three", "is_admin": False, "created_at": T0},
        ],
        "access_tokens": [
            {"user_id": 2, "name": "laptop", "secret_hash": "a" * 64, "created_at": T0, "last_used_at": None},
            {
                "user_id": 3,
                "name": "render box",
                "secret_hash": "b" * 64,
                "created_at": T0,
                "last_used_at": T0 + timedelta(hours=2),
            },
        ],
        "projects": [
            {
                "id": PROJECT_ID,
                "slug": "my-film",
                "title": "My Film",
                "title_key": "my film",
                "description": "A short.\nIn two lines — with ümlauts.",
                "aspect_ratio": "16:9",
                "quality": "standard",
                "hardware_policy": "queue",
                "owner_id": 1,
                "graph": json.dumps({"schema_version": 1, "nodes": [{"id": "shot-1"}], "edges": []}),
                "version": 7,
                "created_at": T0,
                "updated_at": T0 + timedelta(minutes=5),
            }
        ],
        "project_members": [
            {"project_id": PROJECT_ID, "user_id": 2, "role": "EDITOR"},
            {"project_id": PROJECT_ID, "user_id": 3, "role": "VIEWER"},
        ],
        "tasks": [
            {
                "id": f"00000000-0000-4000-8000-00000000000{number}",
                "project_id": PROJECT_ID,
                "node_id": "shot-1" if state != "CANCELLED" else None,
                "kind": RENDER if state == "FAILED" else GENERATE,
                "state": state,
                "user_id": 2,
                "dispatch": json.dumps(RELEASE_DISPATCH[RENDER if state == "FAILED" else GENERATE]),
                "progress": progress,
                "take_path": "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.png" if state == "SUCCEEDED" else None,
                "error": "The pipeline exited with code 1." if state == "FAILED" else None,
                "attempts": number,
                "created_at": T0,
                "updated_at": T0 + timedelta(seconds=number),
                "started_at": None if state == "QUEUED" else T0 + timedelta(seconds=1),
                "finished_at": T0 + timedelta(seconds=9) if state in {"SUCCEEDED", "FAILED", "CANCELLED"} else None,
            }
            for number, (state, progress) in enumerate(
                [("QUEUED", 0.0), ("RUNNING", 0.5), ("SUCCEEDED", 1.0), ("FAILED", 0.25), ("CANCELLED", 0.75)],
                start=1,
            )
        ],
    }
    tables = MetaData()
    tables.reflect(connection)
    for table, table_rows in rows.items():
        for row in table_rows:
            inserted = connection.execute(tables.tables[table].insert().values(row))
            if table in {"users", "access_tokens"}:  # the serial ids the database gave, as the release let it
                row["id"] = inserted.inserted_primary_key[0]
    return rows


def upgraded(row: dict[str, Any], finished_at: datetime | None) -> dict[str, Any]:
    """A release task as revisions 0005 and 0007 leave it: its queue and a spec of its kind (the plan or sequence the
    release never kept stays empty); a task that had not finished has failed, saying why, when the upgrade ran."""
    task = {key: value for key, value in row.items() if key != "dispatch"}
    task["state"] = TaskState[row["state"]]
    # Revision 0007: the creation order is the queue order (microseconds since the epoch); nothing ran anywhere.
    task.update(position=int(as_utc(row["created_at"]).timestamp() * 1_000_000), ticket=None, worker=None, gpu=None)
    if row["kind"] == RENDER:
        task["queue"] = "cpu"
        task["spec"] = {
            "kind": RENDER,
            "sequence": {"node_id": "seq", "fps": 24, "clips": [], "transitions": [], "titles": [], "audio": []},
            "output_path": "06_Exports/final_cut.mp4",
        }
    else:
        task["queue"] = "gpu.24"
        placement = {"pipeline_id": "t2i-sd1.5", "quality_requested": "high", "quality_used": "high",
                     "queue": "gpu.24", "vram_gb": 24.0, "fallback": None, "waiting_for": WAITING}  # fmt: skip
        task["spec"] = {"kind": GENERATE, "placement": placement, "steps": [], "slots": {}}
    if row["state"] in ("QUEUED", "RUNNING"):
        assert finished_at is not None and finished_at > T0
        task.update(
            state=TaskState.FAILED,
            error="The studio was upgraded before this task finished; start it again.",
            finished_at=finished_at,
        )
    return task


def make_release_database(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    with engine.begin() as connection:
        create_release_schema(connection)
        return release_rows(connection)


STUDIO_TASK, STUDIO_QUEUE = "55555555-0000-0000-0000-000000000009", "host@gpu-box-7.render.studio.example"


def studio_task() -> Task:
    spec = {"kind": "tasks.models.pull", "name": "m", "repo": "o/m", "revision": "main", "replace": False}
    return Task(id=STUDIO_TASK, project_id=None, kind="tasks.models.pull", queue=STUDIO_QUEUE, spec=spec)


def start_studio(tmp_path: Path, engine: Engine) -> None:
    """What every studio process does on start (create_app, `studio up`); it upgrades the database."""
    prepare_workspace(make_settings(tmp_path / "workspace"), engine)


def test_a_release_database_is_upgraded_and_keeps_every_row(
    new_database: NewDatabase, open_engine: OpenEngine, tmp_path: Path
) -> None:
    engine = open_engine(new_database())
    rows = make_release_database(engine)

    start_studio(tmp_path, engine)
    with Session(engine) as session:
        for model, table in ((User, "users"), (AccessToken, "access_tokens"), (Project, "projects")):
            stored = [row.model_dump() for row in session.exec(select(model).order_by(model.id))]
            assert [{k: row[k] for k in rows[table][0]} for row in stored] == rows[table], table
        # Columns added since the release (revision 0003): no session ended yet; tokens could push, so they
        # keep doing so, and now expire.
        assert {user.token_generation for user in session.exec(select(User))} == {0}
        tokens = session.exec(select(AccessToken)).all()
        assert {token.scope for token in tokens} == {TokenScope.WRITE}
        assert all(as_utc(token.expires_at) > utcnow() for token in tokens)
        members = session.exec(select(ProjectMember).order_by(ProjectMember.user_id)).all()
        assert [(m.project_id, m.user_id, m.role) for m in members] == [
            (PROJECT_ID, 2, Role.EDITOR),
            (PROJECT_ID, 3, Role.VIEWER),
        ]
        assert all(type(member.role) is Role for member in members)
        # Revision 0006: each graph is the snapshot at its project's version, with nothing in the edit log.
        project = session.exec(select(Project)).one()
        assert (project.graph_version, project.version) == (7, 7)
        assert session.exec(select(GraphOpLog)).all() == []
        assert LiveGraphs().read(session, project) == json.loads(rows["projects"][0]["graph"])
        stored_tasks = list(session.exec(select(Task).order_by(Task.id)))
        tasks = [task.model_dump() for task in stored_tasks]
        # The release stored each member's Python name; the model reads back that very member.
        assert tasks == [upgraded(row, task["finished_at"]) for row, task in zip(rows["tasks"], tasks, strict=True)]
        assert [task_public(task).spec.kind for task in stored_tasks] == [task.kind for task in stored_tasks]
        # The database keeps working: the next user gets the next serial id.
        assert create_user(session, "dora", "correct horse battery").id == 4
    with engine.connect() as connection:
        stored_states = connection.execute(text("SELECT state FROM tasks ORDER BY id")).scalars().all()
        assert stored_states == ["failed", "failed", "succeeded", "failed", "cancelled"]
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head_revision()]
        assert schema_of(connection)["enums"] == []  # PostgreSQL's native enum types are gone
    with Session(engine) as session:
        # Revision 0009: a studio task (no project) on a host's queue, longer than the release's 32 characters.
        session.add(studio_task())
        session.commit()
        assert [(t.project_id, t.queue) for t in session.exec(select(Task).where(Task.id == STUDIO_TASK))] == [
            (None, STUDIO_QUEUE)
        ]


def test_revision_0001_is_exactly_the_release_schema(new_database: NewDatabase, open_engine: OpenEngine) -> None:
    with open_engine(new_database()).begin() as connection:
        create_release_schema(connection)
        release = schema_of(connection)
    with open_engine(new_database()).begin() as connection:
        command.upgrade(migrations_config(connection), "0001")
        assert schema_of(connection) == release


def test_a_new_database_gets_the_same_schema_as_an_upgraded_release(
    new_database: NewDatabase, open_engine: OpenEngine
) -> None:
    upgraded, created = open_engine(new_database()), open_engine(new_database())
    make_release_database(upgraded)
    with created.begin() as connection:  # another application's table: left as it is
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
        connection.execute(text("INSERT INTO notes (id, body) VALUES (1, 'keep me')"))

    assert upgrade_database(upgraded) == Upgrade(before="0001", after=head_revision())
    assert upgrade_database(created) == Upgrade(before=None, after=head_revision())

    with upgraded.connect() as left, created.connect() as right:
        studio_tables = schema_of(right)
        assert studio_tables["tables"].pop("notes")
        assert studio_tables == schema_of(left)
        assert right.execute(text("SELECT body FROM notes")).scalars().all() == ["keep me"]


def test_a_database_at_the_newest_revision_is_left_alone(new_database: NewDatabase, open_engine: OpenEngine) -> None:
    engine = open_engine(new_database())
    upgrade_database(engine)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    assert upgrade_database(engine) == Upgrade(before=head_revision(), after=head_revision())
    writes = [
        s for s in statements if s.split()[0].upper() in {"CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE"}
    ]
    assert statements and writes == []


def test_a_database_upgraded_by_a_newer_studio_refuses_to_start(
    new_database: NewDatabase, open_engine: OpenEngine, tmp_path: Path
) -> None:
    engine = open_engine(new_database())
    upgrade_database(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0999'"))

    with pytest.raises(DatabaseNewerThanStudioError) as refused:
        start_studio(tmp_path, engine)
    assert refused.value.message.startswith(
        "This database was upgraded by a newer studio (revision 0999); upgrade the studio"
    )
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0999"


def test_studio_tables_unlike_the_release_are_refused_and_left_untouched(
    new_database: NewDatabase, open_engine: OpenEngine
) -> None:
    engine = open_engine(new_database())
    make_release_database(engine)
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE tasks ADD COLUMN surprise INTEGER"))
        connection.execute(text("DROP TABLE access_tokens"))
        before = schema_of(connection)

    with pytest.raises(UnrecognisedDatabaseError) as refused:
        upgrade_database(engine)
    assert "(table access_tokens is missing; tasks.surprise is unexpected)" in refused.value.message
    with engine.connect() as connection:
        assert schema_of(connection) == before
        assert "alembic_version" not in inspect(connection).get_table_names()


def test_a_downgrade_past_the_edit_log_refuses_while_edits_are_not_in_the_snapshot(
    new_database: NewDatabase, open_engine: OpenEngine
) -> None:
    engine = open_engine(new_database())
    make_release_database(engine)
    upgrade_database(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE projects SET version = 8"))
        connection.execute(
            GraphOpLog.__table__.insert().values(project_id=PROJECT_ID, version=8, ops='[{"op": "remove_nodes"}]')  # type: ignore[attr-defined]
        )
    with engine.begin() as connection, pytest.raises(RuntimeError, match="1 live edits are not yet in"):
        command.downgrade(migrations_config(connection), "0005")
    with engine.connect() as connection:
        # The revision that refused stays (the later ones, which lose nothing, were downgraded before it).
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0006"


def test_downgrades_return_to_the_release_schema_and_values_then_to_nothing(
    new_database: NewDatabase, open_engine: OpenEngine
) -> None:
    with open_engine(new_database()).begin() as connection:
        create_release_schema(connection)
        release = schema_of(connection)
    engine = open_engine(new_database())
    rows = make_release_database(engine)
    upgrade_database(engine)
    with Session(engine) as session:
        session.add(studio_task())  # the release has no place for it: the downgrade removes it
        session.commit()

    with engine.begin() as connection:
        command.downgrade(migrations_config(connection), "0001")
    with engine.begin() as connection:
        assert schema_of(connection) == release
        states = connection.execute(text("SELECT state FROM tasks ORDER BY id")).scalars().all()
        # Revision 0005 failed the tasks that had not finished (their plan was never kept): that stays so.
        assert states == [
            ("FAILED" if row["state"] in ("QUEUED", "RUNNING") else row["state"]) for row in rows["tasks"]
        ]
        dispatch = connection.execute(text("SELECT kind, dispatch FROM tasks ORDER BY id")).all()
        assert [json.loads(value) for _, value in dispatch] == [RELEASE_DISPATCH[kind] for kind, _ in dispatch]
        command.downgrade(migrations_config(connection), "base")
    with engine.connect() as connection:
        assert schema_of(connection) == {"tables": {}, "enums": []}


# One studio process starting: it imports everything, says so, then upgrades when the test says go.
STARTER = """
import json, sys
from server.db.engine import create_db_engine
from server.db.migrate import upgrade_database
engine = create_db_engine(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
upgrade = upgrade_database(engine)
print(json.dumps([upgrade.before, upgrade.after]), flush=True)
"""


@pytest.mark.parametrize("made_by", ["nothing", "release"])
def test_processes_starting_together_upgrade_once_without_errors(
    new_database: NewDatabase, open_engine: OpenEngine, made_by: str
) -> None:
    url = new_database()
    engine = open_engine(url)
    if made_by == "release":
        make_release_database(engine)
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[3],
        )
        for _ in range(2)  # the server and its worker
    ]
    try:
        for starter in starters:  # all imported and connected-ready: now they race
            assert starter.stdout is not None and starter.stdout.readline().strip() == "ready"
        for starter in starters:
            assert starter.stdin is not None
            starter.stdin.write("go\n")
            starter.stdin.flush()
        results = []
        for starter in starters:
            out, err = starter.communicate(timeout=120)
            assert starter.returncode == 0, err
            results.append(tuple(json.loads(out)))
    finally:
        for starter in starters:
            starter.kill()
            starter.communicate()

    head = head_revision()
    first = None if made_by == "nothing" else "0001"
    assert sorted(results, key=str) == sorted([(first, head), (head, head)], key=str)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head]
