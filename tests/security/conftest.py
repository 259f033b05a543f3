"""The attack suite's fixtures: the in-process git server, its project, and real git clients."""

from __future__ import annotations

from tests.server.gitserve.conftest import alice_git, bob_git, events, live, project, repo_url

__all__ = ["alice_git", "bob_git", "events", "live", "project", "repo_url"]
