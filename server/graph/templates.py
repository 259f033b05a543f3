"""Finding pipeline templates: every <dir>/<id>/template.json under a project's and the workspace's template folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from function_runner.comfyui.template import TEMPLATE_FILE, Template, load_template
from function_runner.errors import TemplateError
from server.graph.pipelines import ManifestProblem

# A project's own templates (plain git: small JSON that defines what is generated, like the canvases).
PROJECT_TEMPLATES_DIR = "02_Source_Creative/Pipeline_Templates"
# The workspace's, under <workspace>/Library/.
LIBRARY_TEMPLATES_DIR = "Pipeline_Templates"


@dataclass(frozen=True)
class TemplateDiscovery:
    templates: dict[str, Template]
    problems: list[ManifestProblem]


def discover_templates(search_dirs: list[Path]) -> TemplateDiscovery:
    """The valid templates by id; the first folder that declares an id wins (a project's own before the
    workspace's), later ones are reported."""
    templates: dict[str, Template] = {}
    problems: list[ManifestProblem] = []
    for directory in search_dirs:
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob(f"*/{TEMPLATE_FILE}")):
            try:
                template = load_template(path.parent)
            except TemplateError as exc:
                problems.append(ManifestProblem(str(path), exc.message))
                continue
            if template.id in templates:
                problems.append(
                    ManifestProblem(
                        str(path),
                        f"{path} declares template '{template.id}', already provided by "
                        f"{templates[template.id].folder}; it is ignored. Rename one of them.",
                    )
                )
                continue
            templates[template.id] = template
    return TemplateDiscovery(templates, problems)
