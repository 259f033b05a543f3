"""`studio templates import|list`: ComfyUI workflows as pipeline templates, from the server machine's shell."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from schemas.models.pipeline_template import NodeInput
from schemas.models.socket_type import SocketType
from server.config import Settings
from server.errors import StudioError
from server.graph.context import project_catalogue
from server.projects.git import project_repo, studio_author
from server.templates.building import Exposure, OutputChoice, TemplateDraft
from server.templates.inspection import ExposeAs, WorkflowInspection, inspect_workflow, read_workflow
from server.templates.service import save_to_library, save_to_project

templates_app = typer.Typer(help="Import and list pipeline templates (ComfyUI workflows).", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)

ProjectOption = Annotated[
    str | None,
    typer.Option("--project", help="A project's folder name under <workspace>/Projects (default: the Library)."),
]


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code=1)


def _project_root(settings: Settings, slug: str) -> Path:
    root = (settings.projects_dir / slug).resolve()
    if root.parent != settings.projects_dir.resolve() or not (root / "project.json").is_file():
        raise StudioError(f"There is no project folder '{slug}' under {settings.projects_dir}; give its folder name.")
    return root


def _exposure(spec: str, found: WorkflowInspection) -> Exposure:
    """NODE.INPUT=NAME[:socket|param|<socket type>]"""
    target, equals, rest = spec.partition("=")
    node, dot, input_name = target.partition(".")
    name, _, how = rest.partition(":")
    if not (equals and dot and name):
        raise StudioError(f"--expose {spec!r}: write NODE.INPUT=NAME, e.g. 6.text=prompt or 3.steps=steps:param.")
    candidate = next((c for c in found.inputs if (c.node, c.input) == (node, input_name)), None)
    socket = SocketType(how) if how in SocketType._value2member_map_ else None
    if how in ExposeAs._value2member_map_:
        expose_as = ExposeAs(how)
    elif socket is not None or candidate is None:
        expose_as = ExposeAs.SOCKET
    else:
        expose_as = candidate.expose_as
    if how and socket is None and how not in ExposeAs._value2member_map_:
        kinds = ", ".join(["socket", "param", *SocketType._value2member_map_])
        raise StudioError(f"--expose {spec!r}: '{how}' is not one of {kinds}.")
    return Exposure(node=node, input=input_name, name=name, expose_as=expose_as, type=socket)


def _output(spec: str) -> OutputChoice:
    """NODE=NAME[:<socket type>]"""
    node, equals, rest = spec.partition("=")
    name, _, kind = rest.partition(":")
    if not (equals and name) or (kind and kind not in SocketType._value2member_map_):
        raise StudioError(f"--output {spec!r}: write NODE=NAME or NODE=NAME:TYPE, e.g. 9=image or 12=clip:Video.")
    return OutputChoice(node=node, name=name, type=SocketType(kind) if kind else None)


@templates_app.command("import")
def import_template(
    file: Annotated[Path, typer.Argument(help="A workflow exported with Workflow > Export (API), or a ComfyUI PNG.")],
    template_id: Annotated[str | None, typer.Option("--id", help="Template id (default: from the file name).")] = None,
    title: Annotated[str | None, typer.Option(help="Palette title (default: from the file name).")] = None,
    expose: Annotated[
        list[str] | None,
        typer.Option(help="NODE.INPUT=NAME[:socket|param|TYPE], repeatable (default: the prompts and media inputs)."),
    ] = None,
    output: Annotated[
        list[str] | None, typer.Option(help="NODE=NAME[:TYPE], repeatable (default: every Save… node).")
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Make a template of a ComfyUI workflow: into the workspace Library, or committed to a project."""
    settings = Settings()
    try:
        found = inspect_workflow(read_workflow(file.read_bytes(), file.name), file.name)
        exposures = (
            [_exposure(spec, found) for spec in expose]
            if expose
            else [
                Exposure(node=c.node, input=c.input, name=c.name, expose_as=c.expose_as, type=c.type)
                for c in found.inputs
                if c.suggested
            ]
        )
        outputs = (
            [_output(spec) for spec in output]
            if output
            else [OutputChoice(node=o.node, name=o.name, type=o.type) for o in found.outputs]
        )
        if not outputs:
            raise StudioError(
                f"{file.name} has no node that saves a file (SaveImage, SaveVideo, SaveAudio…); add one in ComfyUI, "
                "or name the output node with --output NODE=NAME:TYPE."
            )
        draft = TemplateDraft(
            id=template_id or found.id,
            title=title or found.title,
            workflow=found.workflow,
            expose=exposures,
            outputs=outputs,
        )
        if project:
            repo = project_repo(settings, _project_root(settings, project).name)
            saved = save_to_project(settings, repo, draft, studio_author("studio"))
        else:
            saved = save_to_library(settings, draft)
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror}") from exc
    except StudioError as exc:
        raise _fail(exc.message) from exc
    template = saved.template.manifest
    where = f"project {project} (commit {saved.commit[:10] if saved.commit else 'none'})" if project else "the Library"
    console.print(f"saved template [bold]{template.id}[/] to {where}: {saved.path}")
    for port in template.inputs:
        console.print(f"  input  {port.name} ({port.type.value}) <- {_targets(template.bindings[port.name])}")
    for name in (template.params or {}).get("properties", {}):
        console.print(f"  param  {name} <- {_targets(template.bindings[name])}")
    for port in template.outputs:
        console.print(f"  output {port.name} ({port.type.value}) <- node {template.output_nodes[port.name]}")
    if template.seed_inputs:
        console.print(f"  seed   -> {_targets(template.seed_inputs)}")


def _targets(targets: list[NodeInput]) -> str:
    return ", ".join(f"{t.node}.{t.input}" for t in targets)


@templates_app.command("list")
def list_templates(project: ProjectOption = None) -> None:
    """The templates of the workspace Library (and of a project, with --project), and any that are broken."""
    settings = Settings()
    try:
        catalogue = project_catalogue(settings, _project_root(settings, project) if project else None)
    except StudioError as exc:
        raise _fail(exc.message) from exc
    for template in catalogue.templates.values():
        manifest = template.manifest
        ins = ", ".join(p.name for p in manifest.inputs) or "-"
        outs = ", ".join(p.name for p in manifest.outputs)
        console.print(
            f"[bold]{manifest.id}[/]  {manifest.title}  ({ins} -> {outs}; {len(template.node_classes)} node classes)"
        )
        console.print(f"    {template.folder}", soft_wrap=True)
    for problem in catalogue.problems:
        if problem.path.endswith("template.json"):
            err_console.print(f"[yellow]broken:[/] {problem.message}")
