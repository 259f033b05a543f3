"""Running a test's coroutine on an event loop of its own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_on_own_loop(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """`asyncio.run(main())` on a thread of its own. Not on the test's thread: once a browser test has started the
    session's sync Playwright (tests/support/chromium.py), that thread has an event loop running for the rest of the
    session, and asyncio.run refuses to start another there."""
    with ThreadPoolExecutor(1, thread_name_prefix="test-loop") as pool:
        return pool.submit(lambda: asyncio.run(main())).result()
