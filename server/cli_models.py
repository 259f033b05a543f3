"""`studio models list|add|pull|verify|rm`: a thin typer layer over the model store (server/models)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from server.build_progress import download_bars
from server.config import Settings
from server.errors import StudioError
from server.models.pull import PullRequest, hub_endpoint, pull
from server.models.store import ModelStore

models_app = typer.Typer(help="The model store: weights the pipelines load.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code=1)


def _store() -> ModelStore:
    return ModelStore.of(Settings())


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} B"


@models_app.command("list")
def list_models() -> None:
    """The models in the store, and those pipelines need that are missing."""
    store = _store()
    table = Table("name", "size", "files", "weights sha256", "source", "needed by")
    present = set()
    for entry in store.list():
        present.add(entry.name)
        record = entry.record
        source = record.source if record else None
        origin = ""
        if source is not None:
            origin = f"{source.repo}@{source.revision}" if source.repo else source.added_from or ""
        table.add_row(
            entry.name,
            _size(entry.size),
            str(entry.files),
            record.fingerprint[:12] if record else "[yellow]not recorded[/] (studio models verify)",
            origin,
            ", ".join(entry.needed_by),
        )
    for name, users in sorted(store.needed.items()):
        if name not in present:
            table.add_row(name, "[red]missing[/]", "", f"studio models pull {name}", "", ", ".join(p for p, _ in users))
    console.print(f"model store: {store.root}")
    console.print(table)


@models_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The model's name in the store, e.g. stable-diffusion-v1-5.")],
    path: Annotated[Path, typer.Argument(help="A local model folder (diffusers layout); it is copied.")],
) -> None:
    """Copy a local model folder into the store and record its files' hashes."""
    try:
        record = _store().add(name, path)
    except StudioError as exc:
        raise _fail(exc.message) from exc
    console.print(f"added [bold]{name}[/]: {len(record.files)} files, weights sha256 {record.fingerprint[:12]}")


@models_app.command("pull")
def pull_model(
    name: Annotated[str, typer.Argument(help="The model's name in the store (a manifest's weights path).")],
    repo: Annotated[
        str | None, typer.Option(help="Hugging Face repository (default: the one the manifests name).")
    ] = None,
    revision: Annotated[
        str | None, typer.Option(help="Branch, tag or commit (default: the manifest's, else main).")
    ] = None,
    endpoint: Annotated[str | None, typer.Option(help="Hub URL (default: HF_ENDPOINT, else huggingface.co).")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Swap out a model of that name already there.")] = False,
) -> None:
    """Download a model from the Hugging Face Hub (resumable), check every hash, install it."""
    request = PullRequest(name, repo, revision, hub_endpoint(endpoint), replace)
    console.print(f"pulling {name}…", highlight=False)
    try:
        record = pull(_store(), request, tqdm_class=download_bars(console))
    except StudioError as exc:
        raise _fail(exc.message) from exc
    source = record.source
    assert source is not None
    console.print(
        f"pulled [bold]{name}[/] from {source.repo}@{source.revision} ({(source.commit or '')[:12]}): "
        f"{len(record.files)} files, weights sha256 {record.fingerprint[:12]}"
    )


@models_app.command("verify")
def verify(name: Annotated[str, typer.Argument()]) -> None:
    """Hash every file again and compare with the record and with what the pipelines expect."""
    try:
        result = _store().verify(name)
    except StudioError as exc:
        raise _fail(exc.message) from exc
    if result.recorded_now:
        console.print(f"{name} had no record: recorded {len(result.record.files)} files now")
    for label, paths in (("changed", result.changed), ("missing", result.missing), ("not recorded", result.added)):
        for path in paths:
            console.print(f"  [red]{label}[/]: {path}")
    for pipeline, status in result.pipelines:
        console.print(f"  {pipeline}: " + ("ok" if status.usable else f"[red]{status.problem}[/]"))
    if not result.ok:
        raise _fail(
            f"{name} is not what was recorded or what its pipelines expect; pull it again with "
            f"`studio models pull {name} --replace`."
        )
    console.print(f"[bold green]ok[/] {name}: weights sha256 {result.record.fingerprint[:12]}")


@models_app.command("rm")
def remove(
    name: Annotated[str, typer.Argument()],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
) -> None:
    """Delete a model from the store."""
    store = _store()
    try:
        store.existing(name)
        if not yes and not typer.confirm(f"Delete {store.folder(name)}?"):
            raise typer.Exit(code=1)
        store.remove(name)
    except StudioError as exc:
        raise _fail(exc.message) from exc
    console.print(f"removed [bold]{name}[/]")
