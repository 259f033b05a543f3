"""New Project scaffolding (PRD §2.2): template tree, manifest, git + LFS, first commit: all or nothing."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from schemas.models.project_manifest import ProjectManifest
from server.projects.git import Author, GitRepo
from server.projects.manifest import read_manifest, write_manifest

# Template dotfiles are stored without their dot so they do not act on the studio's own repository.
TEMPLATE_DOTFILES = {"gitignore": ".gitignore", "gitattributes": ".gitattributes"}


def _copy_template(template_dir: Path, target: Path) -> None:
    shutil.copytree(template_dir, target)
    for stored, real in TEMPLATE_DOTFILES.items():
        (target / stored).rename(target / real)


def scaffold_project(
    *,
    template_dir: Path,
    target: Path,
    title: str,
    description: str,
    settings: dict[str, str],
    author: Author,
    git_timeout_s: float = 120.0,
) -> ProjectManifest:
    """Create the project repository at `target`; on any failure nothing is left behind."""
    # Built beside its final place and renamed in one step, so a half-made project is never visible
    # under its name, and a failure leaves only a hidden folder that is removed right here.
    staging = target.with_name(f".creating-{uuid.uuid4().hex}")
    try:
        _copy_template(template_dir, staging)
        template = read_manifest(staging)
        defaults = template.model_dump(mode="json")
        # Validated as a whole: the manifest written is always schema-valid.
        manifest = ProjectManifest.model_validate(
            {
                **defaults,
                "uuid": str(uuid.uuid4()),
                "title": title,
                "description": description,
                "project_settings": {**defaults["project_settings"], **settings},
                "version": 1,
            }
        )
        write_manifest(staging, manifest)

        repo = GitRepo(staging, git_timeout_s)
        repo.run("init", "--quiet", "--initial-branch=main")
        repo.run("lfs", "install", "--local")
        # A push to the served (non-bare) repository updates its working tree (ARCHITECTURE §3).
        repo.run("config", "receive.denyCurrentBranch", "updateInstead")
        repo.commit(["."], f"project: create '{title}'", author)
        staging.rename(target)  # fails if `target` exists and is not empty: never merge into a folder
        return manifest
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
