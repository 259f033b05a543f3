"""List endpoints answer in pages: `offset`/`limit` with a maximum, a stable order, and a Link to the next page."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from server.api.pagination import MAX_PAGE_SIZE
from server.config import Settings
from tests.server.api.test_tasks import project_with_takes
from tests.support.factories import TestUser, create_project


def _all_pages(client: TestClient, url: str, user: TestUser, limit: int) -> list[list[object]]:
    pages, following = [], f"{url}{'&' if '?' in url else '?'}limit={limit}"
    while following:
        response = client.get(following, headers=user.headers)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        link = response.headers.get("link")
        following = link.split(">")[0].lstrip("<") if link else ""
    return pages


def test_projects_come_in_pages_in_a_stable_order(client: TestClient, alice: TestUser) -> None:
    for name in ("A", "B", "C", "D", "E"):
        create_project(client, alice, name)
    pages = _all_pages(client, "/api/v1/projects", alice, 2)
    assert [[p["name"] for p in page] for page in pages] == [["E", "D"], ["C", "B"], ["A"]]  # type: ignore[index]
    whole = client.get("/api/v1/projects", headers=alice.headers)
    assert "link" not in whole.headers and len(whole.json()) == 5


def test_members_tokens_and_takes_come_in_pages(
    client: TestClient, settings: Settings, alice: TestUser, bob: TestUser, user_factory: object, tmp_path: Path
) -> None:
    project = create_project(client, alice, "Shared")
    for name in ("carol", "dave"):
        user_factory(name)  # type: ignore[operator]
    for name in ("dave", "bob", "carol"):
        shared = client.put(
            f"/api/v1/projects/{project['id']}/members",
            json={"username": name, "role": "viewer"},
            headers=alice.headers,
        )
        assert shared.status_code == 200
    members = _all_pages(client, f"/api/v1/projects/{project['id']}/members", alice, 2)
    assert [[m["username"] for m in page] for page in members] == [["alice", "bob"], ["carol", "dave"]]  # type: ignore[index]

    for name in ("one", "two", "three"):
        assert client.post("/api/v1/tokens", json={"name": name}, headers=bob.headers).status_code == 201
    tokens = _all_pages(client, "/api/v1/tokens", bob, 2)
    assert [[t["name"] for t in page] for page in tokens] == [["one", "two"], ["three"]]  # type: ignore[index]

    with_takes = project_with_takes(client, settings, alice, tmp_path)
    takes = _all_pages(client, f"/api/v1/projects/{with_takes['id']}/takes?node_id=a", alice, 1)
    assert [[t["take"] for t in page] for page in takes] == [[1], [2]]  # type: ignore[index]


def test_a_page_cannot_be_larger_than_the_maximum(client: TestClient, alice: TestUser) -> None:
    response = client.get("/api/v1/projects", params={"limit": MAX_PAGE_SIZE + 1}, headers=alice.headers)
    assert response.status_code == 422 and response.json()["error"]["field"] == "query.limit"
    assert client.get("/api/v1/projects", params={"offset": -1}, headers=alice.headers).status_code == 422
