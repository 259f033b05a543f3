"""Short-lived credentials for the transfers a batch answer hands out: never the user's own password.

A batch answer's actions carry `Authorization: Bearer <token>`, a JWT naming the user, the project and the
operation, valid for ACTION_EXPIRES_S. The object routes take it in place of Basic auth, and still check
the user's access to the project on every request: removing a member ends their tokens at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from server.config import Settings
from server.errors import AuthenticationError

ACTION_TYPE = "lfs-action"
# How long a client may use an action's href and header.
ACTION_EXPIRES_S = 3600


def issue_action_token(settings: Settings, user_id: int, project_id: str, operation: str) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "prj": project_id,
        "op": operation,
        "iat": now,
        "exp": now + timedelta(seconds=ACTION_EXPIRES_S),
        "typ": ACTION_TYPE,
    }
    return jwt.encode(claims, settings.signing_key(), algorithm=settings.jwt_algorithm)


def action_user_id(settings: Settings, token: str, project_id: str, operation: str) -> int:
    """The user an action token was issued to, if it is valid for `operation` on `project_id`."""
    try:
        claims = jwt.decode(
            token,
            settings.signing_key(),
            algorithms=[settings.jwt_algorithm],
            options={"require": ["sub", "prj", "op", "exp", "typ"]},
        )
    except jwt.InvalidTokenError as exc:
        raise AuthenticationError(
            "The LFS transfer token is not valid or has expired; run the git command again to get a new one."
        ) from exc
    if claims["typ"] != ACTION_TYPE or claims["prj"] != project_id or claims["op"] != operation:
        raise AuthenticationError("This LFS transfer token is for another project or operation.")
    if not str(claims["sub"]).isdigit():
        raise AuthenticationError("The LFS transfer token names no user.")
    return int(claims["sub"])
