"""/api/v1/tokens: personal access tokens for git over HTTP, each with a scope and an expiry."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status
from pydantic import BaseModel, Field

from server.api.deps import CurrentUser, SessionDep, SettingsDep
from server.api.pagination import PageDep, paged
from server.auth.access_tokens import as_utc, create_token, list_tokens, revoke_token
from server.db.tables import AccessToken, TokenScope
from server.errors import InvalidInputError

router = APIRouter(prefix="/api/v1/tokens", tags=["tokens"])


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="What the token is for, e.g. 'laptop'.")
    scope: TokenScope = Field(
        default=TokenScope.READ, description="'read': clone, fetch, LFS downloads. 'write': also push and LFS uploads."
    )
    expires_in_days: Annotated[int | None, Field(ge=1, le=100_000)] = Field(
        default=None,
        description="Days until it expires; default STUDIO_PERSONAL_TOKEN_DEFAULT_DAYS, "
        "at most STUDIO_PERSONAL_TOKEN_MAX_DAYS.",
    )


class AccessTokenPublic(BaseModel):
    id: int
    name: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None


class AccessTokenCreated(AccessTokenPublic):
    token: str = Field(description="The secret, shown once: use it as the password for git over HTTP.")


def _public(token: AccessToken) -> AccessTokenPublic:
    assert token.id is not None
    return AccessTokenPublic(
        id=token.id,
        name=token.name,
        scope=token.scope,
        created_at=as_utc(token.created_at),
        expires_at=as_utc(token.expires_at),
        last_used_at=as_utc(token.last_used_at) if token.last_used_at else None,
    )


@router.post("", response_model=AccessTokenCreated, status_code=status.HTTP_201_CREATED, name="create_token")
def create(body: TokenCreate, user: CurrentUser, session: SessionDep, settings: SettingsDep) -> AccessTokenCreated:
    if body.scope is TokenScope.WORKER:
        raise InvalidInputError(
            "A personal token's scope is 'read' or 'write'; worker tokens are made by an admin on the server "
            "machine with `studio workers token create`.",
            field="scope",
        )
    token, secret = create_token(session, user, body.name, settings, scope=body.scope, days=body.expires_in_days)
    return AccessTokenCreated(**_public(token).model_dump(), token=secret)


@router.get("", response_model=list[AccessTokenPublic], name="list_tokens")
def list_mine(
    user: CurrentUser, session: SessionDep, page: PageDep, request: Request, response: Response
) -> list[AccessTokenPublic]:
    """Your tokens, oldest first (never their secrets)."""
    tokens = list_tokens(session, user, offset=page.offset, limit=page.probe)
    return [_public(token) for token in paged(tokens, page, request, response)]


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT, name="revoke_token")
def revoke(token_id: Annotated[int, Path(ge=1, le=2**63 - 1)], user: CurrentUser, session: SessionDep) -> None:
    revoke_token(session, user, token_id)
