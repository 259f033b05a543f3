"""The Asset Manager in a real browser, with the studio, a Celery worker and the real training pipeline on a tiny
random-weight SD 1.5: create a character, upload reference images, train, watch the status, see the version."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_canvas import VIEWPORT, sign_in
from tests.server.generation.conftest import Chain
from tests.support.factories import png_bytes
from tests.support.stack_models import build_tiny

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FOLDER = "01_Assets/Generative_Assets/Characters/Mara_Voss"


def test_create_upload_train_and_see_the_version(
    chain: Chain, browser: Browser, artifacts: Path, tmp_path: Path
) -> None:
    store = chain.server.workspace / "Models"
    shutil.copytree(build_tiny("stable-diffusion-v1-5", tmp_path / "models"), store / "stable-diffusion-v1-5")
    chain.start_worker()
    project = httpx.post(
        f"{chain.server.url}/api/v1/projects",
        json={"name": "Keeper", "hardware_policy": "fallback"},  # no GPU worker: training falls back to the CPU
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
    page.get_by_role("link", name="Keeper").click()
    page.wait_for_url(f"{chain.server.url}/projects/{project['id']}/assets")

    page.get_by_label("Name").fill("Mara Voss")
    page.get_by_label("Trigger word").fill("sks_mara")
    page.get_by_role("button", name="Create character").click()
    card = page.get_by_test_id("asset-card")
    expect(card).to_contain_text("Mara Voss")

    # Train Model checks first and says what is missing.
    card.get_by_role("button", name="Train Model").click()
    expect(card).to_contain_text("Add 2 more reference image(s)")
    card.get_by_label("Add reference images").set_input_files([str(p) for p in images])
    expect(card.get_by_test_id("media-image")).to_have_count(2, timeout=30_000)
    shot("01-images")

    page.get_by_label("Resolution").fill("32")
    page.get_by_label("Steps").fill("3")
    card.get_by_role("button", name="Train Model").click()
    status = card.get_by_test_id("training-status")
    expect(status).to_have_text(re.compile(r"Queued|Training: \d+%"))
    expect(status).to_have_text("Complete", timeout=240_000)
    expect(card).to_contain_text("v01 · stable-diffusion-v1-5")
    shot("02-trained")

    listed = httpx.get(f"{chain.server.url}/api/v1/projects/{project['id']}/assets", headers=chain.headers).json()
    [version] = listed[0]["asset"]["versions"]
    assert version["file"] == "loras/Mara_Voss_v01.safetensors"
    repo = chain.server.workspace / "Projects" / project["slug"]
    sidecar = json.loads((repo / FOLDER / version["sidecar"]).read_text())
    assert len(sidecar["loss"]) == 3 and sidecar["steps"] == 3
