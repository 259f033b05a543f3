"""Playwright driving Debian's Chromium (apt-get install chromium; never `playwright install`): one browser for the
whole session, shared by the browser tests and the compose test (a second sync Playwright cannot start while one
runs)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from server.api.frontend import FRONTEND_BUILD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert shutil.which(CHROMIUM), "Chromium is missing: apt-get install chromium (./dev.sh test installs it)."
    assert (FRONTEND_BUILD / "index.html").is_file(), (
        "canvas_frontend is not built: ./dev.sh test builds it (or: npm run --prefix canvas_frontend build)."
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
