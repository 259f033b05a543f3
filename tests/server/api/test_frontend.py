"""The built canvas at `/`: static files, the SPA fallback, and never in the API's way."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.api.frontend import mount_frontend


def built(tmp_path: Path) -> Path:
    build = tmp_path / "build"
    (build / "_app" / "immutable").mkdir(parents=True)
    (build / "index.html").write_text("<html>canvas</html>")
    (build / "_app" / "immutable" / "app.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("outside")
    return build


def app_with(build: Path) -> tuple[FastAPI, bool]:
    app = FastAPI()

    @app.get("/api/v1/ping")
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    return app, mount_frontend(app, build)


def test_serves_files_and_falls_back_to_index_html(tmp_path: Path) -> None:
    app, mounted = app_with(built(tmp_path))
    client = TestClient(app)
    assert mounted
    asset = client.get("/_app/immutable/app.js")
    assert asset.text == "console.log(1)" and "immutable" in asset.headers["cache-control"]
    for page in ("/", "/login", "/projects/abc"):
        response = client.get(page)
        assert response.status_code == 200 and response.text == "<html>canvas</html>"
        assert response.headers["cache-control"] == "no-cache"
    for outside in ("/../secret.txt", "/%2e%2e/secret.txt", "/missing.js"):
        response = client.get(outside)
        assert response.status_code == 404, outside  # files that are not in the build are not found
    assert client.put("/anything", content=b"x").status_code == 404  # not a 405 from the page route


def test_api_paths_are_never_shadowed(tmp_path: Path) -> None:
    app, _ = app_with(built(tmp_path))
    client = TestClient(app)
    assert client.get("/api/v1/ping").json() == {"pong": "yes"}
    for path in ("/api/v1/nothing", "/auth/nothing", "/ws/x", "/git/x", "/docs/x"):
        assert client.get(path).status_code == 404, path


def test_without_a_build_nothing_is_mounted(tmp_path: Path) -> None:
    app, mounted = app_with(tmp_path / "missing")
    assert not mounted
    assert TestClient(app).get("/").status_code == 404
