"""`studio tokens create|list|revoke` on a real workspace database."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from server.auth import users
from server.auth.access_tokens import grant_for_token
from server.cli import app
from server.config import Settings
from server.db.engine import create_db_engine, session_scope
from server.db.migrate import upgrade_database
from server.errors import AuthenticationError
from tests.support.factories import PASSWORD


def test_create_list_revoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_WORKSPACE", str(tmp_path / "ws"))
    engine = create_db_engine(Settings(_env_file=None).resolved_database_url)  # type: ignore[call-arg]
    upgrade_database(engine)
    with session_scope(engine) as session:
        users.create_user(session, "carol", PASSWORD)
    runner = CliRunner()

    created = runner.invoke(app, ["tokens", "create", "laptop", "--user", "carol", "--scope", "write", "--days", "7"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("studio_pat_")
    with session_scope(engine) as session:
        grant = grant_for_token(session, secret)
        assert (grant.user.username, grant.scope) == ("carol", "write")

    listed = runner.invoke(app, ["tokens", "list", "--user", "carol"])
    assert listed.exit_code == 0 and "laptop" in listed.stdout and secret not in listed.stdout
    assert "write" in listed.stdout

    assert runner.invoke(app, ["tokens", "revoke", "1", "--user", "carol"]).exit_code == 0
    with session_scope(engine) as session, pytest.raises(AuthenticationError):
        grant_for_token(session, secret)

    again = runner.invoke(app, ["tokens", "revoke", "1", "--user", "carol"])
    assert again.exit_code == 1 and "no access token with id 1" in again.output
    too_long = runner.invoke(app, ["tokens", "create", "x", "--user", "carol", "--days", "366"])
    assert too_long.exit_code == 1 and "1 to 365 days" in too_long.output
    unknown = runner.invoke(app, ["tokens", "create", "x", "--user", "nobody"])
    assert unknown.exit_code == 1 and "No user named 'nobody'" in unknown.output


def test_worker_tokens_are_made_by_an_admin_listed_apart_and_revoked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDIO_WORKSPACE", str(tmp_path / "ws"))
    engine = create_db_engine(Settings(_env_file=None).resolved_database_url)  # type: ignore[call-arg]
    upgrade_database(engine)
    with session_scope(engine) as session:
        users.create_user(session, "admin", PASSWORD, is_admin=True)
        users.create_user(session, "carol", PASSWORD)
    runner = CliRunner()

    refused = runner.invoke(app, ["workers", "token", "create", "--admin", "carol"])
    assert refused.exit_code == 1 and "'carol' is not an administrator" in refused.output
    created = runner.invoke(app, ["workers", "token", "create", "--name", "gpu-host-1"])  # held by STUDIO_ADMIN_USER
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    with session_scope(engine) as session:
        grant = grant_for_token(session, secret)
        assert (grant.user.username, grant.scope) == ("admin", "worker")

    listed = runner.invoke(app, ["workers", "token", "list"])
    assert "gpu-host-1" in listed.stdout and secret not in listed.stdout
    # Not one of the admin's personal tokens: `studio tokens` neither lists nor revokes it.
    assert "gpu-host-1" not in runner.invoke(app, ["tokens", "list", "--user", "admin"]).stdout
    assert runner.invoke(app, ["tokens", "revoke", "1", "--user", "admin"]).exit_code == 1

    assert runner.invoke(app, ["workers", "token", "revoke", "1"]).exit_code == 0
    with session_scope(engine) as session, pytest.raises(AuthenticationError):
        grant_for_token(session, secret)
    again = runner.invoke(app, ["workers", "token", "revoke", "1"])
    assert again.exit_code == 1 and "no worker token with id 1" in again.output
