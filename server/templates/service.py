"""Saving a template: into a project (committed, so the project carries it wherever it is cloned) or into the
workspace Library (every project of this studio sees it; administrators only), never over an existing one."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from function_runner.comfyui.template import TEMPLATE_FILE, WORKFLOW_FILE, Template, checked
from function_runner.comfyui.workflow import Workflow
from schemas.models.pipeline_template import PipelineTemplate
from server.config import Settings
from server.db.tables import User
from server.errors import PermissionDeniedError, StudioError
from server.graph.context import project_catalogue
from server.graph.templates import LIBRARY_TEMPLATES_DIR, PROJECT_TEMPLATES_DIR
from server.projects.git import Author, GitRepo, studio_author
from server.projects.service import Access, ProjectService
from server.templates.building import TemplateDraft, build_template
from server.templates.errors import TemplateExistsError
from server.templates.inspection import WorkflowInspection, inspect_workflow, read_workflow


class TemplateTarget(StrEnum):
    PROJECT = "project"
    LIBRARY = "library"


@dataclass(frozen=True)
class SavedTemplate:
    template: Template
    target: TemplateTarget
    path: str  # the folder, relative to the project or to the workspace Library
    commit: str | None  # the project commit that added it


def _json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_template(manifest: PipelineTemplate, workflow: Workflow, parent: Path) -> Template:
    """Write <parent>/<id>/ whole or not at all: staged beside it, then renamed into place (never over another)."""
    parent.mkdir(parents=True, exist_ok=True)
    staged = parent / f".incoming-{uuid.uuid4().hex}"
    staged.mkdir()
    try:
        (staged / TEMPLATE_FILE).write_text(_json(manifest.model_dump(mode="json", exclude_none=True)), "utf-8")
        (staged / WORKFLOW_FILE).write_text(_json(workflow), "utf-8")
        target = parent / manifest.id
        try:
            os.rename(staged, target)  # an existing non-empty folder makes this fail: nothing is replaced
        except OSError as exc:
            raise TemplateExistsError(
                f"A folder for template '{manifest.id}' exists already at {target}; choose another id."
            ) from exc
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return checked(manifest, workflow, target)


def _refuse_taken(settings: Settings, repo_root: Path | None, template_id: str) -> None:
    existing = project_catalogue(settings, repo_root).templates.get(template_id)
    if existing is not None:
        raise TemplateExistsError(
            f"A template '{template_id}' exists already ({existing.folder}); choose another id.", field="id"
        )


def save_to_library(settings: Settings, draft: TemplateDraft) -> SavedTemplate:
    manifest, workflow = build_template(draft)
    _refuse_taken(settings, None, manifest.id)
    template = write_template(manifest, workflow, settings.library_dir / LIBRARY_TEMPLATES_DIR)
    return SavedTemplate(template, TemplateTarget.LIBRARY, f"{LIBRARY_TEMPLATES_DIR}/{manifest.id}", None)


def save_to_project(settings: Settings, repo: GitRepo, draft: TemplateDraft, author: Author) -> SavedTemplate:
    manifest, workflow = build_template(draft)
    folder = f"{PROJECT_TEMPLATES_DIR}/{manifest.id}"
    with repo.lock():
        _refuse_taken(settings, repo.root, manifest.id)
        template = write_template(manifest, workflow, repo.root / PROJECT_TEMPLATES_DIR)
        try:
            commit = repo.commit(
                [f"{folder}/{TEMPLATE_FILE}", f"{folder}/{WORKFLOW_FILE}"], f"template: {manifest.id}", author
            )
        except StudioError:
            shutil.rmtree(template.folder, ignore_errors=True)
            raise
    return SavedTemplate(template, TemplateTarget.PROJECT, folder, commit)


class TemplateService:
    """The import dialog's two steps for a user: inspect a dropped file, then save the choices."""

    def __init__(self, settings: Settings, projects: ProjectService) -> None:
        self.settings = settings
        self.projects = projects

    def inspect(self, user: User, project_id: str, data: bytes, filename: str) -> WorkflowInspection:
        self.projects.open(user, project_id, Access.WRITE)
        return inspect_workflow(read_workflow(data, filename), filename)

    def save(self, user: User, project_id: str, draft: TemplateDraft, target: TemplateTarget) -> SavedTemplate:
        project = self.projects.open(user, project_id, Access.WRITE).project
        if target is TemplateTarget.LIBRARY:
            if not user.is_admin:
                raise PermissionDeniedError(
                    "Only administrators can save templates to the workspace Library; save it to the project.",
                    field="target",
                )
            return save_to_library(self.settings, draft)
        return save_to_project(self.settings, self.projects.repo(project), draft, studio_author(user.username))
