"""The Asset Manager in a real browser, with the studio, a Celery worker and the real training pipeline on a tiny
random-weight SD 1.5: create a character, choose the base model (FLUX's missing weights said), upload reference
images, train, watch the status, see the version; then drag the asset from the canvas's panel onto the canvas,
connect it to a Shot, Generate, and the take names the LoRA; and, promoted to the Library, see its thumbnail in
another project's panel and drag it there, which imports it."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_canvas import EDGE, PIPE, SHOT, VIEWPORT, drag, sign_in
from tests.server.generation.conftest import Chain
from tests.support.factories import png_bytes
from tests.support.stack_models import build_tiny

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FOLDER = "01_Assets/Generative_Assets/Characters/Mara_Voss"
ASSET = ".svelte-flow__node-AssetNode"
# The pipeline's defaults (512 px, 30 steps) take minutes on a CPU other test runs share, even with a tiny model.
SMALL_RENDER = {"width": 64, "height": 64, "steps": 3}


def small_render(chain: Chain, project_id: str) -> None:
    """Set the Shot's render size and steps as a script would, through the API, once the canvas's edits (the
    prompt last) are in; the open canvas follows the save."""
    url, headers = f"{chain.server.url}/api/v1/projects/{project_id}", chain.headers
    for _ in range(100):
        stored = httpx.get(url, headers=headers).json()
        [shot] = [n for n in stored["graph"]["nodes"] if n["type"] == "ShotNode"]
        if shot["data"].get("prompt") == "at the lighthouse":
            shot["data"].update(SMALL_RENDER)
            saved = httpx.put(url, json={"version": stored["version"], "graph": stored["graph"]}, headers=headers)
            if saved.status_code == 200:
                return
            assert saved.status_code == 409, saved.text  # a canvas edit came first: read again
        time.sleep(0.1)
    raise AssertionError("the canvas's prompt never reached the server")


@pytest.mark.timeout(900)  # a training and a 512 px generation, on a CPU other test runs share
def test_create_upload_train_and_see_the_version(
    chain: Chain, browser: Browser, artifacts: Path, tmp_path: Path
) -> None:
    store = chain.server.workspace / "Models"
    shutil.copytree(build_tiny("stable-diffusion-v1-5", tmp_path / "models"), store / "stable-diffusion-v1-5")
    # The worker announces a GPU so that the queue of the Shot's explicitly chosen t2i-sd1.5 is served (a chosen
    # pipeline never falls back to another); on this machine it runs on the CPU.
    chain.start_worker(gpus='[{"name": "Test 24G", "vram_gb": 24}]')
    project = httpx.post(
        f"{chain.server.url}/api/v1/projects",
        json={"name": "Keeper", "hardware_policy": "queue"},
        headers=chain.headers,
    ).json()
    images = []
    for i, colour in enumerate([(200, 30, 30), (30, 30, 200)]):
        images.append(tmp_path / f"mara{i}.png")
        images[-1].write_bytes(png_bytes(48, 40, colour))

    page = browser.new_context(viewport=VIEWPORT).new_page()
    shot = lambda n: page.screenshot(path=str(artifacts / f"{n}.png"))  # noqa: E731
    sign_in(page, chain.server.url)
    page.get_by_role("link", name="Assets").click()
    page.wait_for_url(f"{chain.server.url}/assets")  # else "Keeper" may still be the hub's link to the canvas
    page.get_by_role("link", name="Keeper").click()
    page.wait_for_url(f"{chain.server.url}/projects/{project['id']}/assets")

    page.get_by_label("Name").fill("Mara Voss")
    page.get_by_label("Trigger word").fill("sks_mara")
    page.get_by_role("button", name="Create character").click()
    card = page.get_by_test_id("asset-card")
    expect(card).to_contain_text("Mara Voss")

    # The base models the server can train on, SD 1.5 (its weights in the store) chosen; FLUX's missing weights are
    # said with the command that fetches them, and Train Model refuses it.
    choice = page.get_by_label("Base model")
    expect(choice).to_have_value("stable-diffusion-v1-5")
    expect(choice.locator("option")).to_have_text(
        ["Stable Diffusion 1.5 (diffusers layout)", "FLUX.1 [dev] (diffusers layout) (weights missing)"]
    )
    choice.select_option("FLUX.1-dev")
    expect(page.get_by_test_id("base-model-problems")).to_contain_text("`studio models pull FLUX.1-dev`")
    card.get_by_role("button", name="Train Model").click()
    expect(card).to_contain_text("Add 2 more reference image(s)")
    expect(card).to_contain_text("The model 'FLUX.1-dev' (FLUX.1 [dev] (diffusers layout)) is not in the model store")
    shot("00-base-models")
    choice.select_option("stable-diffusion-v1-5")
    card.get_by_label("Add reference images").set_input_files([str(p) for p in images])
    expect(card.get_by_test_id("media-image")).to_have_count(2, timeout=30_000)
    shot("01-images")

    page.get_by_label("Resolution").fill("32")
    page.get_by_label("Steps").fill("3")
    card.get_by_role("button", name="Train Model").click()
    status = card.get_by_test_id("training-status")
    expect(status).to_have_text(re.compile(r"Queued|Training: \d+%"), timeout=30_000)  # a loaded machine
    expect(status).to_have_text("Complete", timeout=240_000)
    expect(card).to_contain_text("v01 · stable-diffusion-v1-5")
    shot("02-trained")

    listed = httpx.get(f"{chain.server.url}/api/v1/projects/{project['id']}/assets", headers=chain.headers).json()
    [version] = listed[0]["asset"]["versions"]
    assert version["file"] == "loras/Mara_Voss_v01.safetensors"
    repo = chain.server.workspace / "Projects" / project["slug"]
    sidecar = json.loads((repo / FOLDER / version["sidecar"]).read_text())
    assert len(sidecar["loss"]) == 3 and sidecar["steps"] == 3

    # A Shot rendered by t2i-sd1.5 (the canvas fits its view to the first nodes: the drop below then moves nothing).
    page.goto(f"{chain.server.url}/projects/{project['id']}")
    expect(page.get_by_test_id("connection-status")).to_contain_text("Live")
    page.get_by_role("button", name="Shot", exact=True).click()
    page.locator("aside").get_by_role("button", name="Pipeline", exact=True).click()
    page.locator(PIPE).get_by_label("Pipeline").select_option("t2i-sd1.5")
    drag(page, f"{PIPE} .svelte-flow__handle.source[data-handleid=pipeline]", f"{SHOT} [data-handleid=pipeline]")

    # The canvas's panel lists the trained asset; dragged onto the canvas it becomes an Asset node at the drop point.
    shelved = page.get_by_test_id("shelf-asset")
    expect(shelved).to_have_count(1)
    expect(shelved).to_contain_text("Mara Voss")
    expect(shelved).to_contain_text("Character · sks_mara · v01")
    expect(shelved.locator("img")).to_be_visible()  # the version's sample
    pane = page.locator(".svelte-flow__pane")
    box = pane.bounding_box()
    assert box
    shelved.drag_to(pane, target_position={"x": 120, "y": box["height"] - 260})
    expect(page.locator(ASSET)).to_have_count(1)
    expect(page.locator(ASSET).get_by_test_id("asset-name")).to_have_text("Mara Voss")
    node = page.locator(ASSET).bounding_box()
    assert node and abs(node["x"] - (box["x"] + 120)) < 4 and abs(node["y"] - (box["y"] + box["height"] - 260)) < 4

    # Connected to the Shot as its Character, the asset's LoRA is loaded when it generates.
    drag(page, f"{ASSET} .svelte-flow__handle.source[data-handleid=asset]", f"{SHOT} [data-handleid=character]")
    expect(page.locator(EDGE)).to_have_count(2)
    page.locator(SHOT).get_by_label("Prompt", exact=True).fill("at the lighthouse")
    shot("03-asset-on-canvas")
    small_render(chain, project["id"])
    page.locator(SHOT).get_by_role("button", name="Generate").click()
    state = page.locator(SHOT).get_by_test_id("node-state")
    expect(state).to_have_text(re.compile("Done|Failed"), timeout=240_000)
    assert state.text_content() == "Done", page.locator(SHOT).inner_text()
    shot("04-generated-with-lora")
    [take_sidecar] = (repo / "03_Renders").rglob("*.json")
    take = json.loads(take_sidecar.read_text())
    assert take["inputs"]["lora"] == {"path": f"{FOLDER}/{version['file']}", "sha256": version["sha256"]}
    assert take["model"]["arguments"]["lora"] == {"sha256": version["sha256"], "weight": 1.0}
    assert take["model"]["arguments"]["prompt"] == "sks_mara, at the lighthouse"
    assert take["params"] == {**SMALL_RENDER, "lora_weight": 1.0}

    # Promoted to the Library, the asset is offered to another project: dropping it there imports it.
    promoted = httpx.post(
        f"{chain.server.url}/api/v1/projects/{project['id']}/assets/{listed[0]['asset']['uuid']}/promote",
        headers=chain.headers,
    )
    assert promoted.status_code == 200, promoted.text
    sequel = httpx.post(f"{chain.server.url}/api/v1/projects", json={"name": "Sequel"}, headers=chain.headers).json()
    page.goto(f"{chain.server.url}/projects/{sequel['id']}")
    expect(page.get_by_test_id("connection-status")).to_contain_text("Live")
    offered = page.get_by_test_id("shelf-asset")
    expect(offered).to_have_attribute("data-source", "library")
    expect(offered.locator("img")).to_be_visible()  # the Library's thumbnail of the version's sample
    offered.drag_to(page.locator(".svelte-flow__pane"), target_position={"x": 200, "y": 200})
    expect(page.locator(ASSET)).to_have_count(1)
    expect(page.get_by_test_id("shelf-asset")).to_have_attribute("data-source", "project")
    shot("05-imported-from-library")
    imported = httpx.get(f"{chain.server.url}/api/v1/projects/{sequel['id']}/assets", headers=chain.headers).json()
    assert [(a["asset"]["uuid"], a["asset"]["versions"][0]["sha256"]) for a in imported] == [
        (listed[0]["asset"]["uuid"], version["sha256"])
    ]
