"""POST /auth/token, and the signed-in account: GET /api/v1/users/me, its password, signing out everywhere."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.security import OAuth2PasswordRequestForm

from server.api.deps import AccessChangesDep, ClientAddress, CurrentUser, SessionDep, SettingsDep, SignInGuardDep
from server.api.models import PasswordChange, TokenPublic, UserPublic
from server.auth.sessions import end_all_sessions
from server.auth.tokens import issue_access_token
from server.auth.users import authenticate, set_password
from server.errors import AuthenticationError, PermissionDeniedError

router = APIRouter()


@router.post(
    "/auth/token",
    response_model=TokenPublic,
    tags=["auth"],
    responses={429: {"description": "Too many failed sign-ins for this username or address; see Retry-After."}},
)
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    guard: SignInGuardDep,
    address: ClientAddress,
) -> TokenPublic:
    user = guard.attempt(form.username, address, lambda: authenticate(session, form.username, form.password))
    return TokenPublic(access_token=issue_access_token(user, settings))


@router.get("/api/v1/users/me", response_model=UserPublic, tags=["auth"])
def me(user: CurrentUser) -> UserPublic:
    return UserPublic(username=user.username, is_admin=user.is_admin)


@router.put("/api/v1/users/me/password", status_code=status.HTTP_204_NO_CONTENT, tags=["auth"])
def change_password(
    body: PasswordChange,
    user: CurrentUser,
    session: SessionDep,
    guard: SignInGuardDep,
    address: ClientAddress,
    access: AccessChangesDep,
) -> None:
    """Ends every session of the account, this one included: sign in again with the new password."""
    try:
        guard.attempt(user.username, address, lambda: authenticate(session, user.username, body.current_password))
    except AuthenticationError as exc:  # this session is fine: only the password it sent is wrong
        raise PermissionDeniedError(
            "The current password is not right; send the password you sign in with as current_password.",
            field="current_password",
        ) from exc
    set_password(session, user.username, body.new_password, access)


@router.post("/api/v1/users/me/sign-out-everywhere", status_code=status.HTTP_204_NO_CONTENT, tags=["auth"])
def sign_out_everywhere(user: CurrentUser, session: SessionDep, access: AccessChangesDep) -> None:
    """Every access token issued to you until now is refused and your open canvases close; personal access
    tokens for git are not affected (revoke them with DELETE /api/v1/tokens/{id})."""
    end_all_sessions(session, user, access)
