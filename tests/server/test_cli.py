"""The `studio` CLI: users, reindex, and `studio up` starting the whole embedded stack."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import redis
from typer.testing import CliRunner

from server.cli import app as cli
from server.config import Settings
from tests.conftest import TEST_SECRET
from tests.support.postgres import free_port

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"STUDIO_WORKSPACE": str(tmp_path / "ws"), "STUDIO_SECRET_KEY": TEST_SECRET}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    return values


def test_users_add_list_passwd(env: dict[str, str]) -> None:
    added = runner.invoke(cli, ["users", "add", "dana", "--password", "s3cret-pass", "--admin"])
    assert added.exit_code == 0, added.output
    assert "created user dana (admin)" in added.output
    listed = runner.invoke(cli, ["users", "list"])
    assert re.search(r"dana\s+.*yes", listed.output)
    changed = runner.invoke(cli, ["users", "passwd", "dana"], env={"STUDIO_NEW_PASSWORD": "another-pass"})
    assert changed.exit_code == 0, changed.output
    from fastapi.testclient import TestClient

    from server.app import create_app

    with TestClient(create_app(Settings())) as client:
        assert client.post("/auth/token", data={"username": "dana", "password": "s3cret-pass"}).status_code == 401
        assert client.post("/auth/token", data={"username": "dana", "password": "another-pass"}).status_code == 200


def test_users_add_refuses_bad_names_and_short_passwords(env: dict[str, str]) -> None:
    bad_name = runner.invoke(cli, ["users", "add", "Dana/../x", "--password", "s3cret-pass"])
    assert bad_name.exit_code == 1
    assert "lowercase letters" in bad_name.output
    short = runner.invoke(cli, ["users", "add", "dana", "--password", "short"])
    assert short.exit_code == 1
    assert "8 to 1024 characters" in short.output
    runner.invoke(cli, ["users", "add", "dana", "--password", "s3cret-pass"])
    again = runner.invoke(cli, ["users", "add", "dana", "--password", "s3cret-pass"])
    assert "already exists" in again.output


def test_reindex_rebuilds_the_index_from_the_repositories(env: dict[str, str], tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from server.app import create_app
    from tests.support.factories import create_project, make_user

    settings = Settings()
    with TestClient(create_app(settings)) as client:
        admin = make_user(client, client.app.state.engine, "root", admin=True)  # type: ignore[attr-defined]
        project = create_project(client, admin, "Night Train")
    (tmp_path / "ws" / ".studio" / "studio.db").unlink()  # lose the whole index
    for suffix in ("-wal", "-shm"):
        (tmp_path / "ws" / ".studio" / f"studio.db{suffix}").unlink(missing_ok=True)
    runner.invoke(cli, ["users", "add", "root", "--password", "s3cret-pass", "--admin"])
    result = runner.invoke(cli, ["reindex"])
    assert result.exit_code == 0, result.output
    assert "added: 1  (Night-Train)" in result.output
    assert "reading Night-Train\n" in result.output  # not a terminal: the progress is plain lines
    with TestClient(create_app(settings)) as client:
        token = client.post("/auth/token", data={"username": "root", "password": "s3cret-pass"}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        listed = client.get("/api/v1/projects", headers=headers).json()
    assert [(p["id"], p["name"], p["slug"]) for p in listed] == [(project["id"], "Night Train", "Night-Train")]


def test_studio_up_starts_redis_worker_and_server_and_prints_the_admin(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "STUDIO_WORKSPACE": str(tmp_path / "ws"),
        "STUDIO_SECRET_KEY": TEST_SECRET,
        "PYTHONUNBUFFERED": "1",
        "COLUMNS": "200",
    }
    env.pop("STUDIO_REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "up", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = ""
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 60
        while "Uvicorn running" not in output and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output += line
        assert f"http://127.0.0.1:{port}" in output, output
        password = re.search(r"password: (\S+)", output)
        assert password, output
        base = f"http://127.0.0.1:{port}"
        token = httpx.post(f"{base}/auth/token", data={"username": "admin", "password": password.group(1)}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        health = httpx.get(f"{base}/api/v1/system/health", headers=headers).json()
        assert health["status"] == "ok", health
        # The worker started alongside answers a real task through the embedded Redis.
        from server.tasks.celery_app import PING_TASK, create_celery_app

        celery = create_celery_app(f"unix://{tmp_path / 'ws' / '.studio' / 'run' / 'redis.sock'}", 3600)
        assert celery.send_task(PING_TASK).get(timeout=60) == os.uname().nodename
        celery.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        if process.stdout:
            process.stdout.close()
    assert process.returncode == 0
    # Shutting down stops the embedded Redis too.
    with pytest.raises(redis.ConnectionError):
        redis.Redis(unix_socket_path=str(tmp_path / "ws" / ".studio" / "run" / "redis.sock")).ping()
    # A second start finds the admin and does not print a password again.
    second = subprocess.run(
        [
            sys.executable,
            "-c",
            "from server.system.bootstrap import create_first_admin;"
            "from server.config import Settings; from server.db.engine import create_db_engine;"
            "s = Settings(); print(create_first_admin(s, create_db_engine(s.resolved_database_url)))",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert second.stdout.strip() == "None"
    assert (tmp_path / "ws" / "Library" / "README.md").read_text().startswith("# Library seed")
