"""`studio tokens create|list|revoke` (personal access tokens) and `studio workers token create|list|revoke` (worker
tokens), managed on the server machine."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from server.auth.access_tokens import create_token, list_tokens, revoke_token
from server.auth.users import get_user
from server.auth.worker_tokens import DEFAULT_NAME, create_worker_token, list_worker_tokens, revoke_worker_token
from server.cli_db import open_database
from server.config import Settings
from server.db.engine import session_scope
from server.db.tables import TokenScope
from server.errors import PermissionDeniedError, StudioError

tokens_app = typer.Typer(help="Manage personal access tokens (git over HTTP).", no_args_is_help=True)
workers_app = typer.Typer(help="Manage stateless workers.", no_args_is_help=True)
worker_tokens_app = typer.Typer(
    help="Worker tokens: what a stateless worker signs in to git with (STUDIO_WORKER_TOKEN).", no_args_is_help=True
)
workers_app.add_typer(worker_tokens_app, name="token")
console = Console()
err_console = Console(stderr=True)

UserOption = Annotated[str, typer.Option("--user", "-u", help="The account the token belongs to.")]


def _fail(exc: StudioError) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {exc.message}")
    return typer.Exit(code=1)


@tokens_app.command("create")
def tokens_create(
    name: str,
    user: UserOption,
    scope: Annotated[
        TokenScope, typer.Option(help="read: clone and fetch; write: also push (a stateless worker needs write).")
    ] = TokenScope.READ,
    days: Annotated[
        int | None, typer.Option(help="Days until it expires (default STUDIO_PERSONAL_TOKEN_DEFAULT_DAYS).")
    ] = None,
) -> None:
    """Create a token and print its secret once."""
    settings = Settings()
    with session_scope(open_database()) as session:
        try:
            token, secret = create_token(session, get_user(session, user), name, settings, scope=scope, days=days)
        except StudioError as exc:
            raise _fail(exc) from exc
    err_console.print(
        f"token {token.id} '{token.name}' ({token.scope.value}) for {user}, expires "
        f"{token.expires_at:%Y-%m-%d} (shown once; store it now):"
    )
    print(secret)


@tokens_app.command("list")
def tokens_list(user: UserOption) -> None:
    """List a user's tokens (never their secrets)."""
    table = Table("id", "name", "scope", "created", "expires", "last used")
    with session_scope(open_database()) as session:
        try:
            tokens = list_tokens(session, get_user(session, user))
        except StudioError as exc:
            raise _fail(exc) from exc
    for token in tokens:
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        table.add_row(
            str(token.id),
            token.name,
            token.scope.value,
            f"{token.created_at:%Y-%m-%d %H:%M}",
            f"{token.expires_at:%Y-%m-%d %H:%M}",
            used,
        )
    console.print(table)


@tokens_app.command("revoke")
def tokens_revoke(token_id: int, user: UserOption) -> None:
    """Revoke a token: git requests using it are refused from now on."""
    with session_scope(open_database()) as session:
        try:
            revoke_token(session, get_user(session, user), token_id)
        except StudioError as exc:
            raise _fail(exc) from exc
    console.print(f"token {token_id} revoked")


@worker_tokens_app.command("create")
def worker_token_create(
    name: Annotated[str, typer.Option(help="What the token is for, e.g. the worker's host.")] = DEFAULT_NAME,
    admin: Annotated[
        str | None, typer.Option(help="The administrator who holds it (default STUDIO_ADMIN_USER).")
    ] = None,
) -> None:
    """Create a worker token and print its secret once (set it as STUDIO_WORKER_TOKEN on the worker)."""
    settings = Settings()
    username = admin or settings.admin_user
    with session_scope(open_database()) as session:
        try:
            holder = get_user(session, username)
            if not holder.is_admin:
                raise PermissionDeniedError(
                    f"'{username}' is not an administrator; worker tokens are held by one (pass --admin NAME)."
                )
            token, secret = create_worker_token(session, holder, settings, name)
        except StudioError as exc:
            raise _fail(exc) from exc
    err_console.print(
        f"worker token {token.id} '{token.name}', expires {token.expires_at:%Y-%m-%d} (shown once; store it now):"
    )
    print(secret)


@worker_tokens_app.command("list")
def worker_token_list() -> None:
    """List the worker tokens (never their secrets)."""
    table = Table("id", "name", "created", "expires", "last used")
    with session_scope(open_database()) as session:
        tokens = list_worker_tokens(session)
    for token in tokens:
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        table.add_row(
            str(token.id), token.name, f"{token.created_at:%Y-%m-%d %H:%M}", f"{token.expires_at:%Y-%m-%d %H:%M}", used
        )
    console.print(table)


@worker_tokens_app.command("revoke")
def worker_token_revoke(token_id: int) -> None:
    """Revoke a worker token: its next git request, and every LFS transfer granted with it, is refused."""
    with session_scope(open_database()) as session:
        try:
            revoke_worker_token(session, token_id)
        except StudioError as exc:
            raise _fail(exc) from exc
    console.print(f"worker token {token_id} revoked")
