"""The attack suite's fixtures: the in-process git server, its project, real git clients, and the live
studios of the other suites."""

from __future__ import annotations

from tests.server.gitserve.conftest import alice_git, bob_git, events, live, project, repo_url
from tests.server.realtime.conftest import module_studio, redis_url, second_server, studio, studio_factory

__all__ = [
    "alice_git",
    "bob_git",
    "events",
    "live",
    "module_studio",
    "project",
    "redis_url",
    "repo_url",
    "second_server",
    "studio",
    "studio_factory",
]
