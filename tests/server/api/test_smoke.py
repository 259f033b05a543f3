from fastapi.testclient import TestClient

from tests.support.factories import TestUser, create_project


def test_created_project_is_listed_for_its_owner_only(
    client: TestClient, alice: TestUser, bob: TestUser
) -> None:
    project = create_project(client, alice, "Night Train")
    assert [p["id"] for p in client.get("/api/v1/projects", headers=alice.headers).json()] == [project["id"]]
    assert client.get("/api/v1/projects", headers=bob.headers).json() == []
