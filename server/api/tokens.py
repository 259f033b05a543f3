"""/api/v1/tokens: personal access tokens for git over HTTP."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from server.api.deps import CurrentUser, SessionDep
from server.auth.access_tokens import create_token, list_tokens, revoke_token
from server.db.tables import AccessToken

router = APIRouter(prefix="/api/v1/tokens", tags=["tokens"])


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="What the token is for, e.g. 'laptop'.")


class AccessTokenPublic(BaseModel):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


class AccessTokenCreated(AccessTokenPublic):
    token: str = Field(description="The secret, shown once: use it as the password for git over HTTP.")


def _public(token: AccessToken) -> AccessTokenPublic:
    assert token.id is not None
    return AccessTokenPublic(id=token.id, name=token.name, created_at=token.created_at, last_used_at=token.last_used_at)


@router.post("", response_model=AccessTokenCreated, status_code=status.HTTP_201_CREATED, name="create_token")
def create(body: TokenCreate, user: CurrentUser, session: SessionDep) -> AccessTokenCreated:
    token, secret = create_token(session, user, body.name)
    return AccessTokenCreated(**_public(token).model_dump(), token=secret)


@router.get("", response_model=list[AccessTokenPublic], name="list_tokens")
def list_mine(user: CurrentUser, session: SessionDep) -> list[AccessTokenPublic]:
    return [_public(token) for token in list_tokens(session, user)]


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT, name="revoke_token")
def revoke(token_id: int, user: CurrentUser, session: SessionDep) -> None:
    revoke_token(session, user, token_id)
