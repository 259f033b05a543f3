"""JWT access tokens (PyJWT, algorithm pinned by configuration)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from server.config import Settings
from server.errors import AuthenticationError

TOKEN_TYPE = "bearer"


def issue_access_token(user_id: int, settings: Settings) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_minutes),
        "typ": "access",
    }
    return jwt.encode(claims, settings.signing_key(), algorithm=settings.jwt_algorithm)


def user_id_from_token(token: str, settings: Settings) -> int:
    """The user id a valid token names; AuthenticationError for anything else."""
    try:
        # `algorithms` is pinned: a token signed with another algorithm (or "none") is refused.
        claims = jwt.decode(
            token,
            settings.signing_key(),
            algorithms=[settings.jwt_algorithm],
            options={"require": ["sub", "exp", "iat"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationError("Your session has expired; sign in again at POST /auth/token.") from exc
    except jwt.InvalidTokenError as exc:
        raise AuthenticationError(
            "The access token is not valid; sign in again at POST /auth/token and send 'Authorization: Bearer <token>'."
        ) from exc
    if claims.get("typ") != "access" or not str(claims["sub"]).isdigit():
        raise AuthenticationError("The token is not an access token; sign in at POST /auth/token.")
    return int(claims["sub"])
