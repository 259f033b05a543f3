"""The tasks and workers panels in a real browser, against the studio, a Celery worker and a slow CPU pipeline:
a running task's live progress and where it runs, move to the front, pause, cancel, retry, resume, the workers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.test_canvas import VIEWPORT, sign_in
from tests.server.generation.conftest import Chain, shot_graph

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def row(panel: Locator, task_id: str) -> Locator:
    return panel.locator(f'[data-task-id="{task_id}"]')


def queued_order(panel: Locator) -> list[str | None]:
    rows = panel.get_by_test_id("tasks-queued").get_by_test_id("task-row")
    return [rows.nth(i).get_attribute("data-task-id") for i in range(rows.count())]


def test_the_tasks_panel_controls_the_queue_and_the_workers_panel_shows_the_worker(
    chain: Chain, browser: Browser, artifacts: Path
) -> None:
    chain.start_worker(concurrency=1)
    project_id = chain.project(shot_graph("test-slow", seconds=30), quality="low")
    running = chain.generate(project_id)["task_id"]
    chain.wait_for(running, states=("running",))
    second, third = (chain.generate(project_id)["task_id"] for _ in range(2))

    page: Page = browser.new_context(viewport=VIEWPORT).new_page()
    sign_in(page, chain.server.url)
    page.goto(f"{chain.server.url}/projects/{project_id}")
    expect(page.get_by_test_id("connection-status")).to_contain_text("Live")
    page.get_by_role("button", name="Tasks").click()
    panel = page.get_by_test_id("tasks-panel")

    # The running task, its live progress (socket events, no reload) and the worker it runs on.
    live = row(panel.get_by_test_id("tasks-running"), running)
    expect(live).to_be_visible()
    expect(live.get_by_test_id("task-progress")).to_have_text(re.compile(r"^([1-9]\d?)%$"), timeout=30_000)
    worker_id = chain.task(running)["worker"]
    expect(live.get_by_test_id("task-where")).to_have_text(f"{worker_id} · CPU")
    assert queued_order(panel) == [second, third]
    page.screenshot(path=str(artifacts / "01-tasks-running.png"))

    row(panel, third).get_by_role("button", name="Move to front").click()
    expect(panel.get_by_test_id("tasks-queued").get_by_test_id("task-row").first).to_have_attribute(
        "data-task-id", third
    )
    assert queued_order(panel) == [third, second]

    panel.get_by_role("button", name="Pause").click()
    expect(panel.get_by_test_id("queue-state")).to_contain_text("Paused by alice")
    expect(page.get_by_role("button", name=re.compile("^Tasks"))).to_contain_text("paused")

    live.get_by_role("button", name="Cancel").click()
    cancelled = row(panel.get_by_test_id("tasks-finished"), running)
    expect(cancelled).to_have_attribute("data-state", "cancelled")
    assert chain.task(running)["state"] == "cancelled"
    page.screenshot(path=str(artifacts / "02-paused-and-cancelled.png"))

    # Retried while paused: a new task that waits with the others, and the node says why.
    cancelled.get_by_role("button", name="Retry").click()
    expect(panel.get_by_test_id("tasks-queued").get_by_test_id("task-row")).to_have_count(3)
    expect(page.locator(".svelte-flow__node-ShotNode")).to_contain_text("paused this project's queue")
    assert [chain.task(t)["state"] for t in (second, third)] == ["queued", "queued"]  # held, the worker is free

    panel.get_by_role("button", name="Resume").click()
    expect(panel.get_by_test_id("queue-state")).to_contain_text("Queue running")
    # The one worker takes the task moved to the front first.
    expect(row(panel.get_by_test_id("tasks-running"), third)).to_be_visible(timeout=30_000)
    page.screenshot(path=str(artifacts / "03-resumed.png"))

    page.get_by_role("button", name="Workers").click()
    workers = page.get_by_test_id("workers-panel")
    card = workers.get_by_test_id("worker-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(worker_id)
    expect(card.get_by_test_id("worker-heartbeat")).to_have_text(re.compile(r"^♥ \d+ s ago$"))
    expect(card.get_by_test_id("worker-current")).to_contain_text("Running shot")
    expect(card).to_contain_text("No GPU: CPU pipelines only")
    page.screenshot(path=str(artifacts / "04-workers.png"))
