"""Every route of the app refuses a missing or bad token, and another user's project answers 404."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.support.factories import TestUser, create_project

# The only routes reachable without a token: signing in, the API description itself, and the probes.
PUBLIC = {
    ("POST", "/auth/token"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("HEAD", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("HEAD", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
    ("HEAD", "/redoc"),
    ("HEAD", "/openapi.json"),
    # Probes for orchestrators (load balancers, Kubernetes) that hold no credentials: they answer with names and
    # booleans only, never addresses, versions or paths (tests/server/api/test_probes.py).
    ("GET", "/healthz"),
    ("GET", "/readyz"),
}
PATH_VALUES = {"project_id": None, "path": "project.json", "username": "bob", "format": "edl"}


def routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every operation the app publishes (its OpenAPI document lists each included route)."""
    return [
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
        if (method.upper(), path) not in PUBLIC
    ]


def fill(path: str, project_id: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[0]
        return project_id if name == "project_id" else PATH_VALUES.get(name) or "x"

    return re.sub(r"\{([^}]+)\}", value, path)


@pytest.fixture
def project(client: TestClient, alice: TestUser) -> dict[str, Any]:
    return create_project(client, alice)


# A well-formed body per operation, so a refusal comes from the permission check, not validation.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PUT", "/api/v1/projects/{project_id}/members"): {"username": "carol", "role": "viewer"},
    ("POST", "/api/v1/projects/{project_id}/templates"): {
        "id": "still",
        "title": "Still",
        "workflow": {"1": {"class_type": "SaveImage", "inputs": {"filename_prefix": "x"}}},
        "outputs": [{"node": "1", "name": "image"}],
    },
    ("POST", "/api/v1/projects"): {"name": "Film"},
    ("POST", "/api/v1/projects/{project_id}/assets"): {"kind": "Character", "name": "Mara", "trigger_word": "sks_m"},
    ("PUT", "/api/v1/projects/{project_id}/assets/{asset_id}"): {"description": "keeper"},
    ("POST", "/api/v1/projects/{project_id}/assets/{asset_id}/train"): {"steps": 10},
    ("POST", "/api/v1/models/{name}/pull"): {},
}
# The studio's own routes: a signed-in user who is not an administrator is refused with a sentence.
ADMIN_ONLY = [("POST", "/api/v1/models/{name}/pull"), ("GET", "/api/v1/tasks")]


QUERIES: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "/api/v1/projects/{project_id}/takes"): {"node_id": "x"},
    ("POST", "/api/v1/projects/{project_id}/uploads"): {"filename": "voice.wav"},
    ("DELETE", "/api/v1/projects/{project_id}/assets/{asset_id}/images"): {"file": "refs/a.png"},
}


def call(client: TestClient, method: str, path: str, project_id: str, headers: dict[str, str]) -> Any:
    body = BODIES.get((method, path), {"version": 1}) if method in {"PUT", "POST", "PATCH"} else None
    params = QUERIES.get((method, path))
    return client.request(method, fill(path, project_id), json=body, params=params, headers=headers)


def test_the_matrix_covers_the_api(app: FastAPI) -> None:
    covered = routes(app)
    assert ("GET", "/api/v1/projects/{project_id}/files/{path}") in covered
    assert ("PUT", "/api/v1/projects/{project_id}") in covered
    assert ("POST", "/api/v1/projects/{project_id}/uploads") in covered
    assert ("POST", "/api/v1/projects/{project_id}/assets/{asset_id}/images") in covered
    assert len(covered) >= 9


@pytest.mark.parametrize("token", [None, "garbage", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."])
def test_every_route_refuses_missing_or_bad_tokens(
    app: FastAPI, client: TestClient, project: dict[str, Any], token: str | None
) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    for method, path in routes(app):
        response = call(client, method, path, project["id"], headers)
        assert response.status_code == 401, f"{method} {path} answered {response.status_code} without auth"
        assert response.json()["error"]["code"] == "not_authenticated"


def test_studio_routes_refuse_a_user_who_is_not_an_administrator(
    app: FastAPI, client: TestClient, project: dict[str, Any], alice: TestUser
) -> None:
    for method, path in ADMIN_ONLY:
        assert (method, path) in routes(app)
        response = call(client, method, path, project["id"], alice.headers)
        assert response.status_code == 403, f"{method} {path} answered {response.status_code} to a non-admin"
        assert "administrator" in response.json()["error"]["message"]


def test_every_project_route_hides_another_users_project(
    app: FastAPI, client: TestClient, project: dict[str, Any], bob: TestUser
) -> None:
    project_routes = [(m, p) for m, p in routes(app) if "{project_id}" in p]
    assert project_routes
    for method, path in project_routes:
        response = call(client, method, path, project["id"], bob.headers)
        assert response.status_code == 404, f"{method} {path} answered {response.status_code} to another user"
        assert response.json()["error"]["code"] == "project_not_found"
