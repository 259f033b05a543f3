"""User accounts: creation, authentication, passwords, the first admin."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlmodel import Session, select

from server.auth.passwords import hash_password, verify_password
from server.auth.sessions import AccessChanges, end_all_sessions
from server.db.tables import User
from server.errors import AuthenticationError, DuplicateNameError, InvalidInputError, UserNotFoundError

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024


def validate_username(username: str) -> str:
    if not USERNAME_PATTERN.fullmatch(username):
        raise InvalidInputError(
            f"Username '{username[:80]}' is not allowed: use 1-64 lowercase letters, digits, '.', '_' "
            "or '-', starting with a letter or digit.",
            field="username",
        )
    return username


def validate_password(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InvalidInputError(
            f"Passwords must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters long "
            f"(this one has {len(password)}).",
            field="password",
        )
    return password


def find_user(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def get_user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise UserNotFoundError(f"No user named '{username}'; list users with `studio users list`.", field="username")
    return user


def create_user(session: Session, username: str, password: str, *, is_admin: bool = False) -> User:
    validate_username(username)
    validate_password(password)
    if find_user(session, username) is not None:
        raise DuplicateNameError(f"A user named '{username}' already exists; pick another name.", field="username")
    user = User(username=username, password_hash=hash_password(password), is_admin=is_admin)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def set_password(session: Session, username: str, password: str, changes: AccessChanges) -> User:
    """A new password ends every session of the account: tokens issued before are refused, sockets close."""
    user = get_user(session, username)
    user.password_hash = hash_password(validate_password(password))
    end_all_sessions(session, user, changes)
    return user


def authenticate(session: Session, username: str, password: str) -> User:
    user = find_user(session, username)
    if not verify_password(password, user.password_hash if user else None) or user is None:
        raise AuthenticationError("Wrong username or password.")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.username)))


@dataclass(frozen=True)
class FirstAdmin:
    username: str
    generated_password: str | None  # None when the password was configured (STUDIO_ADMIN_PASSWORD)


def ensure_first_admin(session: Session, username: str, password: str | None) -> FirstAdmin | None:
    """Create the first admin when there are no users at all; None when users already exist."""
    if session.exec(select(User.id)).first() is not None:
        return None
    chosen = password if password is not None else secrets.token_urlsafe(12)
    create_user(session, username, chosen, is_admin=True)
    return FirstAdmin(username, None if password is not None else chosen)
