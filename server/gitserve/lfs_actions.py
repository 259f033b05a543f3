"""Short-lived credentials for the transfers a batch answer hands out: never the user's own password.

A batch answer's actions carry `Authorization: Bearer <token>`, a JWT naming the user, the project and the
operation, valid for ACTION_EXPIRES_S. The object routes take it in place of Basic auth, and still check
the user's access to the project on every request: removing a member ends their tokens at once. It also
carries what the batch was authorised with (the account's token generation, the access token's id), so
signing out everywhere, a password change or revoking that access token ends it at once too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from server.config import Settings
from server.errors import AuthenticationError

ACTION_TYPE = "lfs-action"
# How long a client may use an action's href and header.
ACTION_EXPIRES_S = 3600


@dataclass(frozen=True)
class ActionGrant:
    """Who a transfer token stands for, and on the strength of what."""

    user_id: int
    generation: int  # the account's token generation when the batch was answered
    access_token_id: int | None  # the personal access token the batch came with; None: a password


def issue_action_token(settings: Settings, grant: ActionGrant, project_id: str, operation: str) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(grant.user_id),
        "gen": grant.generation,
        "pat": grant.access_token_id,
        "prj": project_id,
        "op": operation,
        "iat": now,
        "exp": now + timedelta(seconds=ACTION_EXPIRES_S),
        "typ": ACTION_TYPE,
    }
    return jwt.encode(claims, settings.signing_key(), algorithm=settings.jwt_algorithm)


def read_action_token(settings: Settings, token: str, project_id: str, operation: str) -> ActionGrant:
    """What an action token was issued for, if it is valid for `operation` on `project_id`."""
    try:
        claims = jwt.decode(
            token,
            settings.signing_key(),
            algorithms=[settings.jwt_algorithm],
            options={"require": ["sub", "gen", "prj", "op", "exp", "typ"]},
        )
    except jwt.InvalidTokenError as exc:
        raise AuthenticationError(
            "The LFS transfer token is not valid or has expired; run the git command again to get a new one."
        ) from exc
    if claims["typ"] != ACTION_TYPE or claims["prj"] != project_id or claims["op"] != operation:
        raise AuthenticationError("This LFS transfer token is for another project or operation.")
    generation, access_token_id = claims["gen"], claims.get("pat")
    if (
        not str(claims["sub"]).isdigit()
        or not _is_int(generation)
        or not (access_token_id is None or _is_int(access_token_id))
    ):
        raise AuthenticationError("The LFS transfer token is malformed; run the git command again to get a new one.")
    return ActionGrant(int(claims["sub"]), generation, access_token_id)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
