"""The attack suite's fixtures: the in-process git server and the live studios of the other suites."""

from __future__ import annotations

from tests.server.gitserve.conftest import events, live, project, repo_url
from tests.server.realtime.conftest import redis_url, studio, studio_factory

__all__ = ["events", "live", "project", "redis_url", "repo_url", "studio", "studio_factory"]
