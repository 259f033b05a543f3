"""Signed-in sessions: the account behind an access token, still valid; ending all of an account's sessions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from sqlmodel import Session

from server.auth.tokens import AccessClaims
from server.db.tables import User
from server.errors import AuthenticationError


class AccessChanges(Protocol):
    """Tells every server process that a user's access changed, so their open sockets follow at once
    (realtime implements it). `project_id` None: every project of the user (signed out, password changed)."""

    def changed(self, user_id: int, project_id: str | None = None) -> None: ...


def signed_in_user(session: Session, claims: AccessClaims) -> User:
    """The account `claims` name, if the token is still good (see check_claims)."""
    user = session.get(User, claims.user_id)
    check_claims(claims, None if user is None else user.token_generation)
    assert user is not None
    return user


def check_claims(claims: AccessClaims, token_generation: int | None) -> None:
    """Refuse a token that expired, whose account is gone (`token_generation`, the account's generation now, is
    None), or that was issued before the account last signed out everywhere or changed its password."""
    if claims.expires_at <= datetime.now(UTC):
        raise AuthenticationError("Your session has expired; sign in again at POST /auth/token.")
    if token_generation is None:
        raise AuthenticationError("The account this token belongs to no longer exists; sign in again.")
    if claims.generation != token_generation:
        raise AuthenticationError(
            "This session was ended (the password changed, or the account signed out everywhere); "
            "sign in again at POST /auth/token."
        )


def end_all_sessions(session: Session, user: User, changes: AccessChanges) -> None:
    """Refuse every access token issued to `user` until now, and close their open sockets."""
    user.token_generation += 1
    session.add(user)
    session.commit()
    assert user.id is not None
    changes.changed(user.id)
