"""The environment for a git + git-lfs client talking to this server, with no credentials in argv."""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping

from server.projects.git import config_env, empty_global_config

# git-lfs's own filter set-up, normally written to ~/.gitconfig by `git lfs install`; given here so
# a client ignores the user's global configuration entirely.
LFS_FILTER_CONFIG = {
    "filter.lfs.process": "git-lfs filter-process",
    "filter.lfs.clean": "git-lfs clean -- %f",
    "filter.lfs.smudge": "git-lfs smudge -- %f",
    "filter.lfs.required": "true",
    # This server has no LFS locking API; without this git-lfs asks on every push.
    "lfs.locksverify": "false",
}


def basic_authorization(username: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{secret}".encode()).decode()


def git_client_env(
    username: str, secret: str, extra_config: Mapping[str, str] | None = None, home: str | None = None
) -> dict[str, str]:
    """Credentials travel as an http.extraHeader set through GIT_CONFIG_* variables: they never appear
    in a command line (visible in `ps`) or in a remote URL (stored in .git/config)."""
    config = {
        **LFS_FILTER_CONFIG,
        "http.extraHeader": f"Authorization: {basic_authorization(username, secret)}",
        "user.name": username,
        "user.email": f"{username}@studio.local",
        "init.defaultBranch": "main",
        **(extra_config or {}),
    }
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "STUDIO_")) and key not in ("HOME", "XDG_CONFIG_HOME")
    }
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=empty_global_config(),
        GIT_TERMINAL_PROMPT="0",
        GIT_ASKPASS="/bin/false",
        HOME=home or os.environ.get("HOME", "/"),
        **config_env(config),
    )
    return env
