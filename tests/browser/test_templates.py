"""Importing a ComfyUI workflow in a real browser: drop its API JSON on the canvas, choose what to expose, save;
the template is committed to the project and its node is in the palette and on the canvas."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_canvas import VIEWPORT
from tests.browser.test_nodes import EMPTY, open_canvas
from tests.server.generation.conftest import Chain
from tests.server.generation.test_chain import repo_of
from tests.support.factories import SEED_TEMPLATES

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WORKFLOW = (SEED_TEMPLATES / "sd15-txt2img" / "workflow.json").read_text()


def drop_file(page: Page, name: str, content: str) -> None:
    """What dropping a file from the desktop onto the canvas does: dragover, then drop with the file."""
    transfer = page.evaluate_handle(
        """([name, content]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([content], name, { type: "application/json" }));
            return transfer;
        }""",
        [name, content],
    )
    box = page.locator(".pane").bounding_box()
    assert box is not None
    at = {"clientX": box["x"] + box["width"] / 2, "clientY": box["y"] + box["height"] / 2}
    page.dispatch_event(".pane", "dragover", {"dataTransfer": transfer, **at})
    page.dispatch_event(".pane", "drop", {"dataTransfer": transfer, **at})


def test_a_dropped_workflow_becomes_a_template_node(chain: Chain, browser: Browser, artifacts: Path) -> None:
    project_id = chain.project(EMPTY)
    page = browser.new_context(viewport=VIEWPORT).new_page()
    open_canvas(page, chain, project_id)

    drop_file(page, "Night Shot.json", WORKFLOW)
    dialog = page.get_by_role("dialog", name="Import ComfyUI workflow")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("7 nodes · needs CLIPTextEncode, CheckpointLoaderSimple")
    expect(dialog.get_by_label("Template id")).to_have_value("night-shot")
    expect(dialog.get_by_label("Expose CLIP Text Encode (Prompt) text")).to_be_checked()
    expect(dialog.get_by_label("Expose KSampler steps")).not_to_be_checked()
    page.screenshot(path=artifacts / "1-dialog.png")

    dialog.get_by_label("Expose CLIP Text Encode (Negative) text").uncheck()
    dialog.get_by_label("Name of CLIP Text Encode (Prompt) text").fill("scene")
    dialog.get_by_label("Expose KSampler steps").check()
    dialog.get_by_label("Name of KSampler steps").fill("2 steps")
    expect(dialog).to_contain_text("The name '2 steps' of KSampler · steps must start with a letter")
    expect(dialog.get_by_role("button", name="Save template")).to_be_disabled()
    dialog.get_by_label("Name of KSampler steps").fill("steps")
    expect(dialog.get_by_label("KSampler steps as")).to_have_value("param")
    dialog.get_by_role("button", name="Save template").click()

    expect(dialog).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="Template “Night Shot” saved to this project")).to_be_visible()
    entry = page.locator("aside [data-node-type='template:night-shot']")
    expect(entry).to_contain_text("Night Shot")
    expect(entry.locator("small")).to_have_text("ComfyUI")
    template_node = page.locator(".svelte-flow__node").filter(has_text="Night Shot")
    expect(template_node).to_have_count(1)
    expect(template_node.get_by_label("scene")).to_have_value("a lighthouse on a cliff at dawn, film still")
    page.screenshot(path=artifacts / "2-saved.png")

    repo = repo_of(chain, project_id)
    log = subprocess.run(["git", "log", "-1", "--format=%s"], cwd=repo, capture_output=True, text=True, check=True)
    assert log.stdout.strip() == "template: night-shot"
    manifest = json.loads((repo / "02_Source_Creative/Pipeline_Templates/night-shot/template.json").read_text())
    assert [p["name"] for p in manifest["inputs"]] == ["scene"]
    assert manifest["bindings"] == {
        "scene": [{"node": "6", "input": "text"}],
        "steps": [{"node": "3", "input": "steps"}],
    }
    assert manifest["seed_inputs"] == [{"node": "3", "input": "seed"}]

    # The same file again: the id is taken, and the dialog says so instead of overwriting anything.
    drop_file(page, "Night Shot.json", WORKFLOW)
    dialog.get_by_role("button", name="Save template").click()
    expect(dialog.get_by_role("alert")).to_contain_text("A template 'night-shot' exists already")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()


def test_a_file_that_is_no_workflow_is_refused_with_the_servers_sentence(
    chain: Chain, browser: Browser, artifacts: Path
) -> None:
    project_id = chain.project(EMPTY)
    page = browser.new_context(viewport=VIEWPORT).new_page()
    open_canvas(page, chain, project_id)
    drop_file(page, "ui-format.json", json.dumps({"nodes": [], "links": [], "version": 0.4}))
    expect(page.get_by_role("status").filter(has_text="in the UI format")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.screenshot(path=artifacts / "refused.png")
