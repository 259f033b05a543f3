"""The deployment's secrets file (deploy/.env by default): generated once, never committed, never overwritten."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# docker-compose reads it with --env-file; the compose file refuses to start without each of these.
GENERATED = ("POSTGRES_PASSWORD", "STUDIO_SECRET_KEY", "STUDIO_ADMIN_PASSWORD")


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.lstrip().startswith("#"):
            values[name.strip()] = value.strip()
    return values


def write_env_file(path: Path) -> tuple[dict[str, str], bool]:
    """The file's values, generating the secrets it lacks; says whether it wrote anything.

    Existing values are kept: a new POSTGRES_PASSWORD would lock the server out of a database that
    was initialised with the old one, and a new secret key would sign everyone out.
    """
    values = read_env_file(path) if path.is_file() else {}
    missing = [name for name in GENERATED if not values.get(name)]
    for name in missing:
        values[name] = secrets.token_urlsafe(32)
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "".join(f"{name}={value}\n" for name, value in values.items())
        # Readable by its owner only, from the first byte on.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write("# Secrets of the compose deployment, written by `studio deploy env`. Never commit.\n" + body)
        path.chmod(0o600)
    return values, bool(missing)
