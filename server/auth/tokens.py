"""JWT access tokens (PyJWT, algorithm pinned by configuration), carrying the account's token generation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from server.config import Settings
from server.db.tables import User
from server.errors import AuthenticationError

TOKEN_TYPE = "bearer"


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    generation: int  # the account's token generation when the token was issued
    expires_at: datetime


def issue_access_token(user: User, settings: Settings) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user.id),
        "gen": user.token_generation,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_minutes),
        "typ": "access",
    }
    return jwt.encode(claims, settings.signing_key(), algorithm=settings.jwt_algorithm)


def read_access_token(token: str, settings: Settings) -> AccessClaims:
    """The claims of a valid, unexpired token; AuthenticationError for anything else."""
    try:
        # `algorithms` is pinned: a token signed with another algorithm (or "none") is refused.
        claims = jwt.decode(
            token,
            settings.signing_key(),
            algorithms=[settings.jwt_algorithm],
            options={"require": ["sub", "exp", "iat", "gen"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationError("Your session has expired; sign in again at POST /auth/token.") from exc
    except jwt.InvalidTokenError as exc:
        raise AuthenticationError(
            "The access token is not valid; sign in again at POST /auth/token and send 'Authorization: Bearer <token>'."
        ) from exc
    generation = claims["gen"]
    if (
        claims.get("typ") != "access"
        or not str(claims["sub"]).isdigit()
        or not isinstance(generation, int)
        or isinstance(generation, bool)
    ):
        raise AuthenticationError("The token is not an access token; sign in at POST /auth/token.")
    return AccessClaims(int(claims["sub"]), generation, datetime.fromtimestamp(claims["exp"], UTC))
