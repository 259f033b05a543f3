"""Personal access tokens: created with a scope and an expiry, listed, revoked, and resolved to their user."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from server.config import Settings
from server.db.tables import AccessToken, TokenScope, User, utcnow
from server.errors import AuthenticationError, InvalidInputError, NotFoundError

# Recognisable in logs and secret scanners; what follows is 256 bits from the OS generator.
TOKEN_PREFIX = "studio_pat_"
MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class TokenGrant:
    """What a presented token allows: whose it is and what it may do."""

    user: User
    scope: TokenScope
    token_id: int | None = None  # the personal access token presented; None: the account's password


def _secret_hash(secret: str) -> str:
    # A plain sha256 is enough: the secret is random, not a password a person chose, so there is
    # nothing to brute-force, and git sends it on every request, where Argon2 would cost ~50 ms.
    return hashlib.sha256(secret.encode()).hexdigest()


def as_utc(moment: datetime) -> datetime:
    """Databases hand back naive datetimes (SQLite always); the studio stores UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def looks_like_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)


def create_token(
    session: Session, user: User, name: str, settings: Settings, *, scope: TokenScope, days: int | None = None
) -> tuple[AccessToken, str]:
    """A new token for `user`, valid `days` (default and maximum from `settings`); the secret is returned
    once and never stored."""
    name = name.strip()
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise InvalidInputError(
            f"A token name must be 1 to {MAX_NAME_LENGTH} characters, e.g. 'laptop' or 'render-worker'.",
            field="name",
        )
    days = settings.personal_token_default_days if days is None else days
    if not 1 <= days <= settings.personal_token_max_days:
        raise InvalidInputError(
            f"A token may live 1 to {settings.personal_token_max_days} days (STUDIO_PERSONAL_TOKEN_MAX_DAYS), "
            f"not {days}; choose fewer days and create a new token when it expires.",
            field="expires_in_days",
        )
    assert user.id is not None
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(
        user_id=user.id,
        name=name,
        secret_hash=_secret_hash(secret),
        scope=scope,
        expires_at=utcnow() + timedelta(days=days),
    )
    session.add(token)
    session.commit()
    session.refresh(token)
    return token, secret


def list_tokens(session: Session, user: User, *, offset: int = 0, limit: int | None = None) -> list[AccessToken]:
    """`user`'s personal tokens, oldest first (worker tokens are the studio's: `list_worker_tokens`)."""
    query = (
        select(AccessToken)
        .where(AccessToken.user_id == user.id, AccessToken.scope != TokenScope.WORKER)
        .order_by(col(AccessToken.id))
    )
    return list(session.exec(query.offset(offset).limit(limit)))


def revoke_token(session: Session, user: User, token_id: int) -> None:
    token = session.get(AccessToken, token_id)
    if token is None or token.user_id != user.id or token.scope is TokenScope.WORKER:
        raise NotFoundError(
            f"You have no access token with id {token_id}; list yours with GET /api/v1/tokens or `studio tokens list`.",
            field="id",
        )
    session.delete(token)
    session.commit()


def grant_for_token(session: Session, secret: str) -> TokenGrant:
    token = session.exec(select(AccessToken).where(AccessToken.secret_hash == _secret_hash(secret))).first()
    user = session.get(User, token.user_id) if token else None
    if token is None or user is None:
        raise AuthenticationError(
            "This access token is unknown or was revoked; create a new one with POST /api/v1/tokens "
            "or `studio tokens create`."
        )
    if as_utc(token.expires_at) <= utcnow():
        raise AuthenticationError(
            f"This access token ('{token.name}') expired on {as_utc(token.expires_at):%Y-%m-%d %H:%M} UTC; create "
            "a new one with POST /api/v1/tokens or `studio tokens create`."
        )
    token.last_used_at = utcnow()
    session.add(token)
    session.commit()
    return TokenGrant(user, token.scope, token.id)


def require_live_token(session: Session, token_id: int) -> AccessToken:
    """Refuse what was granted on the strength of token `token_id` once it is revoked or expired."""
    token = session.get(AccessToken, token_id)
    if token is None or as_utc(token.expires_at) <= utcnow():
        raise AuthenticationError(
            "The access token this transfer was granted with was revoked or has expired; run the git command "
            "again with a valid token (create one with POST /api/v1/tokens or `studio tokens create`)."
        )
    return token
