"""The OpenAPI document is one a client can be generated from, and the generated TypeScript client types
(canvas_frontend/src/lib/api/schema.ts) are what it generates now."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from server.app import create_app
from server.config import Settings
from server.openapi_document import openapi_document

FRONTEND = Path(__file__).resolve().parents[2] / "canvas_frontend"
COMMITTED = FRONTEND / "src" / "lib" / "api" / "schema.ts"
COMMAND = "npm run --prefix canvas_frontend generate:api"

Document = dict[str, Any]


@pytest.fixture(scope="module")
def document() -> Document:
    return openapi_document()


def operations(document: Document) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, item in document["paths"].items() for method, op in item.items()]


def generate_client(document: Document, tmp_path: Path) -> str:
    """schema.ts as scripts/generate-api.mjs writes it for `document`."""
    node = shutil.which("node")
    assert node is not None, "Node.js is needed to generate the TypeScript client; install Node 20."
    assert (FRONTEND / "node_modules" / "openapi-typescript").is_dir(), (
        f"canvas_frontend has no node_modules; run: npm ci --prefix canvas_frontend && {COMMAND}"
    )
    source, out = tmp_path / "openapi.json", tmp_path / "out"
    source.write_text(json.dumps(document), encoding="utf-8")
    script = FRONTEND / "scripts" / "generate-api.mjs"
    subprocess.run(
        [node, str(script), "--openapi", str(source), "--out", str(out)], check=True, capture_output=True, timeout=120
    )
    return (out / "schema.ts").read_text(encoding="utf-8")


def test_the_typescript_client_types_are_up_to_date(document: Document, tmp_path: Path) -> None:
    assert generate_client(document, tmp_path) == COMMITTED.read_text(encoding="utf-8"), (
        f"canvas_frontend/src/lib/api/schema.ts is out of date with the API; run: {COMMAND}"
    )


def test_an_endpoint_changed_without_regenerating_fails_the_check(document: Document, tmp_path: Path) -> None:
    changed = copy.deepcopy(document)
    changed["components"]["schemas"]["ProjectSummary"]["properties"]["archived"] = {"type": "boolean"}
    generated = generate_client(changed, tmp_path)
    assert generated != COMMITTED.read_text(encoding="utf-8")
    assert "archived?: boolean;" in generated


def test_a_route_added_to_the_app_without_regenerating_fails_the_check(tmp_path: Path) -> None:
    """The drift check follows the routes themselves: a real endpoint added to the app changes the client."""
    settings = Settings(workspace=tmp_path / "ws", database_url=None, redis_url=None, _env_file=None)
    app = create_app(settings)
    try:

        @app.post("/api/v1/projects/{project_id}/archive", operation_id="archive_project")
        def archive_project(project_id: str) -> dict[str, str]:
            return {"archived": project_id}

        changed = app.openapi()
    finally:
        app.state.engine.dispose()
    generated = generate_client(changed, tmp_path)
    assert generated != COMMITTED.read_text(encoding="utf-8")
    assert '"/api/v1/projects/{project_id}/archive"' in generated
    assert "archive_project" in generated


def test_operation_ids_are_the_route_names(document: Document) -> None:
    ids = [op["operationId"] for _, _, op in operations(document)]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not re.fullmatch(r"[a-z]+(_[a-z]+)*", i)] == []
    assert {"list_projects", "get_project", "create_token", "system_health", "upload_source_media"} <= set(ids)


def test_every_operation_answers_errors_in_the_api_error_body(document: Document) -> None:
    error = {"$ref": "#/components/schemas/ErrorPublic"}
    for method, path, op in operations(document):
        for status in ("4XX", "5XX"):
            assert op["responses"][status]["content"]["application/json"]["schema"] == error, (method, path)
        # FastAPI's own validation body (detail: [...]) is never what this API sends.
        assert "422" not in op["responses"] or "content" not in op["responses"]["422"], (method, path)
    assert "HTTPValidationError" not in document["components"]["schemas"]
