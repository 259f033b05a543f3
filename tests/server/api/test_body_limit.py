"""Oversized request bodies are refused with 413 before they reach a route."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient

from server.app import create_app
from tests.conftest import make_settings
from tests.support.factories import make_user


def test_bodies_over_the_limit_are_refused_whether_declared_or_streamed(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "ws", database_url=f"sqlite:///{tmp_path / 'db'}", max_request_mb=1)
    with TestClient(create_app(settings)) as client:
        alice = make_user(client, client.app.state.engine, "alice")  # type: ignore[attr-defined]
        big = b'{"name": "' + b"x" * (1024 * 1024 + 10) + b'"}'
        declared = client.post(
            "/api/v1/projects", content=big, headers={**alice.headers, "Content-Type": "application/json"}
        )
        assert declared.status_code == 413
        assert "1 MiB limit" in declared.json()["error"]["message"]

        def chunks() -> Iterator[bytes]:
            yield b'{"name": "'
            for _ in range(20):
                yield b"x" * 65536
            yield b'"}'

        streamed = client.post(
            "/api/v1/projects", content=chunks(), headers={**alice.headers, "Content-Type": "application/json"}
        )
        assert streamed.status_code == 413
        small = client.post("/api/v1/projects", json={"name": "Film"}, headers=alice.headers)
        assert small.status_code == 201


def test_the_upload_route_has_its_own_limit_above_the_general_one(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path / "ws", database_url=f"sqlite:///{tmp_path / 'db'}", max_request_mb=1, upload_max_bytes=3 * 1024**2
    )
    with TestClient(create_app(settings)) as client:
        alice = make_user(client, client.app.state.engine, "alice")  # type: ignore[attr-defined]
        project_id = client.post("/api/v1/projects", json={"name": "Film"}, headers=alice.headers).json()["id"]
        two_mib = b"\x00" * (2 * 1024 * 1024)
        upload = client.post(
            f"/api/v1/projects/{project_id}/uploads",
            params={"filename": "a.wav"},
            content=two_mib,
            headers=alice.headers,
        )
        # Past the 1 MiB general limit, within the 3 MiB upload limit: it reaches the route, which decodes it.
        assert (upload.status_code, upload.json()["error"]["code"]) == (422, "undecodable_media")
        json_body = client.put(
            f"/api/v1/projects/{project_id}",
            content=two_mib,
            headers={**alice.headers, "Content-Type": "application/json"},
        )
        assert json_body.status_code == 413
        assert "1 MiB limit (STUDIO_MAX_REQUEST_MB)" in json_body.json()["error"]["message"]
        bigger = client.post(
            f"/api/v1/projects/{project_id}/uploads",
            params={"filename": "a.wav"},
            content=two_mib * 2,
            headers=alice.headers,
        )
        assert bigger.status_code == 413
        assert "3 MiB limit (STUDIO_UPLOAD_MAX_BYTES)" in bigger.json()["error"]["message"]
