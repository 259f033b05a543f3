"""Where the files route serves a project's working-tree files."""

from __future__ import annotations


def files_url(project_id: str, path: str) -> str:
    """Where GET /api/v1/projects/{id}/files/{path} serves a project file."""
    return f"/api/v1/projects/{project_id}/files/{path}"
