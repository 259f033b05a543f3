"""Repository names in URLs."""

from __future__ import annotations

import pytest

from server.gitserve.errors import RepositoryPathError
from server.gitserve.repo_paths import GitService, service_named, slug_of


def test_a_slug_dot_git_names_the_project() -> None:
    assert slug_of("My-Film-2.git") == "My-Film-2"


@pytest.mark.parametrize(
    "name", ["My-Film", ".git", "..git", "../x.git", "a/b.git", "-x.git", "x.git.git", "x\x00.git", "x y.git"]
)
def test_anything_else_is_refused(name: str) -> None:
    with pytest.raises(RepositoryPathError, match=r"/git/<slug>\.git"):
        slug_of(name)


def test_only_the_two_smart_services_exist() -> None:
    assert service_named("git-receive-pack") is GitService.RECEIVE_PACK
    for other in (None, "", "git-upload-archive", "git-receive-pack "):
        with pytest.raises(RepositoryPathError, match="smart HTTP"):
            service_named(other)
