"""Personal access tokens: created, listed, revoked, and resolved to their user."""

from __future__ import annotations

import hashlib
import secrets

from sqlmodel import Session, col, select

from server.db.tables import AccessToken, User, utcnow
from server.errors import AuthenticationError, InvalidInputError, NotFoundError

# Recognisable in logs and secret scanners; what follows is 256 bits from the OS generator.
TOKEN_PREFIX = "studio_pat_"
MAX_NAME_LENGTH = 100


def _secret_hash(secret: str) -> str:
    # A plain sha256 is enough: the secret is random, not a password a person chose, so there is
    # nothing to brute-force, and git sends it on every request, where Argon2 would cost ~50 ms.
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)


def create_token(session: Session, user: User, name: str) -> tuple[AccessToken, str]:
    """A new token for `user`; the secret is returned once and never stored."""
    name = name.strip()
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise InvalidInputError(
            f"A token name must be 1 to {MAX_NAME_LENGTH} characters, e.g. 'laptop' or 'render-worker'.",
            field="name",
        )
    assert user.id is not None
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(user_id=user.id, name=name, secret_hash=_secret_hash(secret))
    session.add(token)
    session.commit()
    session.refresh(token)
    return token, secret


def list_tokens(session: Session, user: User) -> list[AccessToken]:
    return list(session.exec(select(AccessToken).where(AccessToken.user_id == user.id).order_by(col(AccessToken.id))))


def revoke_token(session: Session, user: User, token_id: int) -> None:
    token = session.get(AccessToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFoundError(
            f"You have no access token with id {token_id}; list yours with GET /api/v1/tokens or `studio tokens list`.",
            field="id",
        )
    session.delete(token)
    session.commit()


def user_for_token(session: Session, secret: str) -> User:
    token = session.exec(select(AccessToken).where(AccessToken.secret_hash == _secret_hash(secret))).first()
    user = session.get(User, token.user_id) if token else None
    if token is None or user is None:
        raise AuthenticationError(
            "This access token is unknown or was revoked; create a new one with POST /api/v1/tokens "
            "or `studio tokens create`."
        )
    token.last_used_at = utcnow()
    session.add(token)
    session.commit()
    return user
