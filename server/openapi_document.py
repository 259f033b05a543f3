"""The studio's OpenAPI document, as /openapi.json serves it, for the generated TypeScript client.

Run: .venv/bin/python -m server.openapi_document > openapi.json
(`npm run --prefix canvas_frontend generate:api` runs it; tests/server/test_openapi_document.py checks
that canvas_frontend/src/lib/api/schema.ts is what it generates now).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from server.app import create_app
from server.config import Settings


def openapi_document() -> dict[str, Any]:
    """The document of an app on a throw-away workspace: it depends on the code, not on any workspace."""
    with tempfile.TemporaryDirectory(prefix="studio-openapi-") as workspace:
        settings = Settings(workspace=Path(workspace), database_url=None, redis_url=None, _env_file=None)
        app = create_app(settings)
        try:
            return app.openapi()
        finally:
            app.state.engine.dispose()


def main() -> None:
    json.dump(openapi_document(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
