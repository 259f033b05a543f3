"""The built canvas (canvas_frontend/build) at `/`: its static files, and index.html for any other page.

Static files hold no data, so they need no token; everything they show comes from the authenticated API.
Paths under the API's own prefixes are never answered here, so a wrong API path still gets a JSON 404.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

FRONTEND_BUILD = Path(__file__).resolve().parents[2] / "canvas_frontend" / "build"
RESERVED_PREFIXES = ("api", "auth", "ws", "git", "docs", "redoc", "openapi.json")


def mount_frontend(app: FastAPI, build_dir: Path = FRONTEND_BUILD) -> bool:
    """Serves the SPA when it has been built (`npm run build` in canvas_frontend); says whether it did."""
    root = build_dir.resolve()
    index = root / "index.html"
    if not index.is_file():
        return False

    # Registered after every API route, so those always win. Every method is routed here so that an
    # unknown path answers 404 whatever the method (a GET-only catch-all would make it a 405).
    @app.api_route("/{path:path}", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    def frontend(path: str, request: Request) -> FileResponse:
        first = path.split("/", 1)[0]
        if first in RESERVED_PREFIXES or request.method not in ("GET", "HEAD"):
            raise StarletteHTTPException(status_code=404)
        candidate = (root / path).resolve()
        if path and candidate.is_relative_to(root) and candidate.is_file():
            immutable = candidate.is_relative_to(root / "_app" / "immutable")
            cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
            return FileResponse(candidate, headers={"Cache-Control": cache})
        if "." in path.rsplit("/", 1)[-1]:
            # A missing file (a name with an extension) is a 404; only page routes get the app's index.
            raise StarletteHTTPException(status_code=404)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    return True
