"""studio deploy env: the deployment's secrets, written once with owner-only permissions, never replaced."""

from __future__ import annotations

import stat
from pathlib import Path

from server.deploy.env_file import GENERATED, read_env_file, write_env_file


def test_the_secrets_are_generated_once_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "deploy" / ".env"
    first, wrote = write_env_file(path)
    assert wrote
    assert set(first) == set(GENERATED)
    assert len(set(first.values())) == 3 and all(len(value) >= 40 for value in first.values())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, wrote_again = write_env_file(path)
    assert (again, wrote_again) == (first, False)
    assert read_env_file(path) == first


def test_a_missing_secret_is_added_and_the_others_and_extra_settings_are_kept(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("# mine\nPOSTGRES_PASSWORD=keep-this-one\nSTUDIO_PUBLISH=0.0.0.0:8000\n")
    values, wrote = write_env_file(path)
    assert wrote
    assert values["POSTGRES_PASSWORD"] == "keep-this-one"
    assert values["STUDIO_PUBLISH"] == "0.0.0.0:8000"
    assert read_env_file(path) == values
    assert values["STUDIO_SECRET_KEY"] and values["STUDIO_ADMIN_PASSWORD"]
