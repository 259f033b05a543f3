"""Editing on the canvas in a real browser: undo/redo, copy/paste, Scene groups, checked in the UI and on the server."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_canvas import EDGE, PIPE, SHOT, VIEWPORT, sign_in
from tests.server.generation.conftest import Chain, shot_graph

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GROUP = ".svelte-flow__node-SceneGroupNode"


def server_graph(chain: Chain, project_id: str) -> dict[str, Any]:
    body = httpx.get(f"{chain.server.url}/api/v1/projects/{project_id}", headers=chain.headers).json()
    graph: dict[str, Any] = body["graph"]
    return graph


def eventually(check: Callable[[], bool], what: str, timeout_s: float = 10) -> None:
    """The server acknowledges edits asynchronously: wait until it holds what the UI shows."""
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, f"the server never had {what}"
        time.sleep(0.1)


def open_canvas(chain: Chain, browser: Browser, project_id: str) -> Page:
    page = browser.new_context(viewport=VIEWPORT).new_page()
    sign_in(page, chain.server.url)
    page.goto(f"{chain.server.url}/projects/{project_id}")
    expect(page.get_by_test_id("connection-status")).to_contain_text("Live")
    return page


def drag_by(page: Page, selector: str, dx: float, dy: float) -> None:
    """Drags a node by its title bar (Svelte Flow follows the pointer in steps)."""
    header = page.locator(f"{selector} header").first.bounding_box()
    assert header
    x, y = header["x"] + 40, header["y"] + header["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=15)
    page.mouse.up()


def types_on_server(chain: Chain, project_id: str) -> list[str]:
    return sorted(n["type"] for n in server_graph(chain, project_id)["nodes"])


def test_copy_paste_undo_and_redo(chain: Chain, browser: Browser, artifacts: Path) -> None:
    project_id = chain.project(shot_graph("cpu-storyboard"))
    page = open_canvas(chain, browser, project_id)
    shot = lambda n: page.screenshot(path=str(artifacts / f"{n}.png"))  # noqa: E731
    expect(page.locator(SHOT)).to_have_count(1)
    undo = page.get_by_role("button", name="Undo")
    expect(undo).to_be_disabled()

    # Copy the shot and paste it where the pointer is: a new shot with the next shot id and no takes.
    page.locator(f"{SHOT} header").click()
    page.keyboard.press("Control+C")
    pane = page.locator(".svelte-flow__pane").bounding_box()
    assert pane
    page.mouse.move(pane["x"] + pane["width"] * 0.5, pane["y"] + pane["height"] * 0.8)
    page.keyboard.press("Control+V")
    expect(page.locator(SHOT)).to_have_count(2)
    shot("01-pasted")
    eventually(lambda: types_on_server(chain, project_id) == ["PipelineNode", "ShotNode", "ShotNode"], "the paste")
    shots = {n["data"]["shot_id"]: n for n in server_graph(chain, project_id)["nodes"] if n["type"] == "ShotNode"}
    assert sorted(shots) == ["SHOT-010", "SHOT-020"]
    assert shots["SHOT-020"]["data"]["prompt"] == "a lighthouse at dusk"
    assert shots["SHOT-020"]["id"] != "shot"
    assert len(server_graph(chain, project_id)["edges"]) == 1  # the pipeline was not copied, so neither its edge

    # Undo takes the paste back, redo brings it again — on the server too.
    expect(undo).to_be_enabled()
    page.keyboard.press("Control+Z")
    expect(page.locator(SHOT)).to_have_count(1)
    eventually(lambda: types_on_server(chain, project_id) == ["PipelineNode", "ShotNode"], "the undone paste")
    page.keyboard.press("Control+Shift+Z")
    expect(page.locator(SHOT)).to_have_count(2)
    eventually(lambda: types_on_server(chain, project_id) == ["PipelineNode", "ShotNode", "ShotNode"], "the redo")

    # Deleting the pipeline deletes its edge; one undo brings both back, with the same ids.
    page.locator(f"{PIPE} header").click()
    page.keyboard.press("Delete")
    expect(page.locator(PIPE)).to_have_count(0)
    expect(page.locator(EDGE)).to_have_count(0)
    eventually(lambda: "PipelineNode" not in types_on_server(chain, project_id), "the delete")
    shot("02-deleted")
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(PIPE)).to_have_count(1)
    expect(page.locator(EDGE)).to_have_count(1)
    eventually(lambda: len(server_graph(chain, project_id)["edges"]) == 1, "the restored edge")
    graph = server_graph(chain, project_id)
    assert graph["edges"][0] == {
        "id": "e1",
        "source": "pipe",
        "sourceHandle": "pipeline",
        "target": "shot",
        "targetHandle": "pipeline",
    }
    assert next(n for n in graph["nodes"] if n["id"] == "pipe")["data"] == {"pipeline_id": "cpu-storyboard"}

    # Typing undoes as one step; keys typed into a field stay the field's (Ctrl+Z there is the field's undo).
    prompt = page.locator(SHOT).first.get_by_label("Prompt", exact=True)
    prompt.fill("a lighthouse in fog")
    page.locator(".svelte-flow__pane").click(position={"x": 50, "y": 50})
    page.keyboard.press("Control+Z")
    expect(prompt).to_have_value("a lighthouse at dusk")
    eventually(
        lambda: (
            next(n for n in server_graph(chain, project_id)["nodes"] if n["id"] == "shot")["data"]["prompt"]
            == "a lighthouse at dusk"
        ),
        "the undone prompt",
    )
    shot("03-undone")
    page.context.close()


def test_scene_groups_hold_collapse_and_release_nodes(chain: Chain, browser: Browser, artifacts: Path) -> None:
    project_id = chain.project(shot_graph())
    page = open_canvas(chain, browser, project_id)
    shot = lambda n: page.screenshot(path=str(artifacts / f"{n}.png"))  # noqa: E731

    page.locator("aside").get_by_role("button", name="Scene", exact=True).click()
    expect(page.locator(GROUP)).to_have_count(1)
    page.locator(GROUP).get_by_label("Scene title").fill("The storm")
    eventually(lambda: "SceneGroupNode" in types_on_server(chain, project_id), "the scene")
    group = next(n for n in server_graph(chain, project_id)["nodes"] if n["type"] == "SceneGroupNode")
    assert (group["width"], group["height"]) == (720, 640)

    # Drag the shot into the scene: it becomes a member, positioned relative to the scene.
    shot_box = page.locator(SHOT).bounding_box()
    scene_box = page.locator(GROUP).bounding_box()
    assert shot_box and scene_box
    drag_by(
        page,
        SHOT,
        scene_box["x"] + scene_box["width"] / 2 - (shot_box["x"] + shot_box["width"] / 2),
        scene_box["y"] + scene_box["height"] / 2 - (shot_box["y"] + shot_box["height"] / 2),
    )
    expect(page.locator(GROUP).get_by_test_id("scene-count")).to_have_text("1 node")
    shot("01-shot-in-scene")

    def shot_node() -> dict[str, Any]:
        return next(n for n in server_graph(chain, project_id)["nodes"] if n["id"] == "shot")

    eventually(lambda: shot_node().get("parentId") == group["id"], "the shot in the scene")
    graph = server_graph(chain, project_id)
    scene = next(n for n in graph["nodes"] if n["id"] == group["id"])
    inside = shot_node()["position"]
    assert 0 <= inside["x"] < scene["width"] and 0 <= inside["y"] < scene["height"], (inside, scene)

    # Collapsing hides the members; expanding shows them again. Both are saved.
    page.get_by_role("button", name="Collapse scene").click()
    expect(page.locator(SHOT)).to_have_count(0)
    shot("02-collapsed")
    eventually(
        lambda: (
            next(n for n in server_graph(chain, project_id)["nodes"] if n["id"] == group["id"])["data"].get("collapsed")
            is True
        ),
        "the collapsed scene",
    )
    page.get_by_role("button", name="Expand scene").click()
    expect(page.locator(SHOT)).to_have_count(1)

    # Deleting the scene deletes what it holds; undo brings both back, still nested.
    page.locator(f"{GROUP} .count").click()
    page.keyboard.press("Delete")
    expect(page.locator(GROUP)).to_have_count(0)
    expect(page.locator(SHOT)).to_have_count(0)
    eventually(lambda: server_graph(chain, project_id)["nodes"] == [], "the deleted scene")
    page.keyboard.press("Control+Z")
    expect(page.locator(SHOT)).to_have_count(1)
    eventually(lambda: shot_node().get("parentId") == group["id"], "the restored scene")

    # Dragging the shot far out of the scene takes it out, at the place it was dropped.
    drag_by(page, SHOT, 0, scene_box["height"] + 200)
    eventually(lambda: "parentId" not in shot_node(), "the shot out of the scene")
    expect(page.locator(GROUP).get_by_test_id("scene-count")).to_have_text("0 nodes")
    shot("03-shot-out-of-scene")
    page.context.close()
