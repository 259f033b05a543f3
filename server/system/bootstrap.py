"""Preparing a workspace: folders, seeded Library, the database at the newest schema, the first admin."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import Engine

from server.auth.users import FirstAdmin, ensure_first_admin
from server.config import Settings
from server.db.engine import session_scope
from server.db.migrate import upgrade_database

LIBRARY_SEED = Path(__file__).resolve().parents[2] / "library"


def seed_library(library_dir: Path) -> list[Path]:
    """Copy the seed Library files that are not there yet; never overwrite the user's files."""
    copied = []
    for source in sorted(LIBRARY_SEED.rglob("*")):
        if source.is_dir():
            continue
        target = library_dir / source.relative_to(LIBRARY_SEED)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied.append(target)
    return copied


def prepare_workspace(settings: Settings, engine: Engine) -> None:
    """Folders, seeded Library, database schema and signing key: idempotent, run by every process that serves."""
    for folder in (
        settings.projects_dir,
        settings.library_dir,
        settings.run_dir,
        settings.state_dir / "logs",
    ):
        folder.mkdir(parents=True, exist_ok=True)
    seed_library(settings.library_dir)
    upgrade_database(engine)
    settings.signing_key()


def create_first_admin(settings: Settings, engine: Engine) -> FirstAdmin | None:
    password = settings.admin_password.get_secret_value() if settings.admin_password else None
    with session_scope(engine) as session:
        return ensure_first_admin(session, settings.admin_user, password)
