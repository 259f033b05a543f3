"""Failed sign-ins, counted per username and per client address over every way in (POST /auth/token,
git's HTTP Basic auth, a password change): past the limit, attempts are refused before any password is
checked, so guessing is slow and costs the server no hashing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from server.config import Settings
from server.errors import AuthenticationError
from server.limits.rate import Counters, RateLimitedError, Window

T = TypeVar("T")


class SignInGuard:
    def __init__(self, counters: Counters, settings: Settings) -> None:
        self._counters = counters
        self._per_user = Window(settings.sign_in_failures_per_user, settings.sign_in_window_s)
        self._per_address = Window(settings.sign_in_failures_per_address, settings.sign_in_window_s)

    def _keys(self, username: str, address: str) -> list[tuple[str, Window]]:
        # Usernames are case-folded and cut: variants of one name share one count, and keys stay small.
        return [
            (f"sign-in:user:{username.casefold()[:64]}", self._per_user),
            (f"sign-in:addr:{address[:64]}", self._per_address),
        ]

    def attempt(self, username: str, address: str, verify: Callable[[], T]) -> T:
        """`verify()`'s result, unless this username or address failed too often lately (RateLimitedError);
        an AuthenticationError from `verify` is counted against both."""
        keys = self._keys(username, address)
        for key, window in keys:
            failures, retry_after = self._counters.count(key, window)
            if failures >= window.limit:
                raise RateLimitedError(
                    f"Too many failed sign-ins for this account or from this address; try again in {retry_after} s.",
                    retry_after_s=retry_after,
                )
        try:
            return verify()
        except AuthenticationError:
            for key, window in keys:
                self._counters.hit(key, window)
            raise
