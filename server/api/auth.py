"""POST /auth/token and GET /api/v1/users/me."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from server.api.deps import CurrentUser, SessionDep, SettingsDep
from server.api.models import TokenPublic, UserPublic
from server.auth.tokens import issue_access_token
from server.auth.users import authenticate

router = APIRouter()


@router.post("/auth/token", response_model=TokenPublic, tags=["auth"])
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, settings: SettingsDep
) -> TokenPublic:
    user = authenticate(session, form.username, form.password)
    assert user.id is not None
    return TokenPublic(access_token=issue_access_token(user.id, settings))


@router.get("/api/v1/users/me", response_model=UserPublic, tags=["auth"], name="current_user")
def me(user: CurrentUser) -> UserPublic:
    return UserPublic(username=user.username, is_admin=user.is_admin)
