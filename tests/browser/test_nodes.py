"""The canvas's node components in a real browser: PRD Table 2's nodes, validation issues on nodes, the
takes browser's A/B compare, and the VSE Assembler's final render through the worker."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from server.media.ffmpeg import ffmpeg_exe
from server.projects.git import GitRepo
from tests.browser.test_canvas import SHOT, VIEWPORT, sign_in
from tests.server.assembly.media import TakeRepo, make_clip, sequence_graph
from tests.server.generation.conftest import Chain, shot_graph
from tests.server.generation.test_chain import repo_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EMPTY = {"schema_version": 1, "nodes": [], "edges": []}
# PRD Table 2 (the Scene group is built elsewhere) and what each node must show.
TABLE_2 = ["AssetNode", "PipelineNode", "ShotNode", "MotionSourceNode", "AudioNode"]
TABLE_2 += ["SuperResolutionNode", "VideoRestorationNode", "VSEAssemblerNode"]


def node(type_id: str) -> str:
    return f".svelte-flow__node-{type_id}"


def open_canvas(page: Page, chain: Chain, project_id: str) -> None:
    sign_in(page, chain.server.url)
    page.goto(f"{chain.server.url}/projects/{project_id}")
    expect(page.get_by_test_id("connection-status")).to_contain_text("Live")


def fit_view(page: Page) -> None:
    page.locator(".svelte-flow__controls-fitview").click()
    page.wait_for_timeout(300)


def has_class(name: str) -> re.Pattern[str]:
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def saved_node(chain: Chain, project_id: str, node_id: str) -> dict[str, Any]:
    graph = httpx.get(f"{chain.server.url}/api/v1/projects/{project_id}", headers=chain.headers).json()["graph"]
    found: dict[str, Any] = next(n for n in graph["nodes"] if n["id"] == node_id)
    return found


def test_every_table_2_node_comes_from_the_palette_with_its_controls(
    chain: Chain, browser: Browser, artifacts: Path
) -> None:
    project_id = chain.project(EMPTY)
    picture = repo_of(chain, project_id) / "01_Assets" / "Characters" / "keeper.png"
    picture.parent.mkdir(parents=True)
    ffmpeg = [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "color=c=orange:s=96x96", "-frames:v", "1"]
    subprocess.run([*ffmpeg, str(picture)], check=True)
    page = browser.new_context(viewport=VIEWPORT).new_page()
    open_canvas(page, chain, project_id)

    for type_id in TABLE_2:
        page.locator(f"aside [data-node-type={type_id}]").click()
        expect(page.locator(node(type_id))).to_have_count(1)

    # A pipeline whose model is not in the store says so in the palette, with the command that fetches it.
    missing = page.locator("aside [data-node-type='pipeline:t2i-sd1.5'] [data-missing]")
    expect(missing).to_have_text("no weights")
    expect(missing).to_have_attribute("title", re.compile(r"Fix: studio models pull stable-diffusion-v1-5"))

    # Asset: a picture and a name, once its path and name are set.
    asset = page.locator(node("AssetNode"))
    expect(asset.get_by_test_id("asset-name")).to_have_text("Unnamed asset")
    asset.get_by_label("name").fill("The keeper")
    asset.get_by_label("path").fill("01_Assets/Characters/keeper.png")
    expect(asset.get_by_test_id("asset-name")).to_have_text("The keeper")
    image = asset.locator("[data-testid=asset-preview] img")
    expect(image).to_be_visible()
    page.wait_for_function("(img) => img.complete && img.naturalWidth === 96", arg=image.element_handle())

    # Pipeline: the version dropdown offers the installed version, unpinned by default.
    pipe = page.locator(node("PipelineNode"))
    pipe.get_by_label("Pipeline", exact=True).select_option("cpu-storyboard")
    version = pipe.get_by_label("Version")
    expect(version).to_have_value("")
    expect(version.locator("option")).to_have_text(["Installed (1.0.0)", "Pin 1.0.0"])
    version.select_option("1.0.0")

    # Every node that runs a pipeline has the same Generate bar.
    for type_id in ("ShotNode", "MotionSourceNode", "AudioNode", "SuperResolutionNode", "VideoRestorationNode"):
        bar = page.locator(node(type_id))
        expect(bar.get_by_role("button", name="Generate")).to_be_enabled()
        expect(bar.get_by_test_id("node-state")).to_have_text("Idle")
    expect(page.locator(SHOT).get_by_label("Prompt", exact=True)).to_be_visible()
    motion = page.locator(node("MotionSourceNode"))
    expect(motion.locator("[data-testid=file-input][data-input=source_video]")).to_contain_text("Drop a video file")
    expect(motion.locator("input[type=file]")).to_have_attribute("accept", ".mp4,.mov,.webm,.mkv")
    expect(motion.get_by_label("Control map")).to_have_value("canny")
    audio = page.locator(node("AudioNode"))
    expect(audio.get_by_label("Text to speak")).to_be_visible()
    expect(audio.locator("input[type=file]")).to_have_attribute("accept", ".wav,.mp3,.flac,.ogg,.m4a")
    upscale = page.locator(node("SuperResolutionNode"))
    expect(upscale.get_by_label("Scale factor")).to_have_value("2")
    upscale.get_by_label("Scale factor").fill("4")
    expect(upscale.locator("output")).to_have_text("4\N{MULTIPLICATION SIGN}")
    restore = page.locator(node("VideoRestorationNode"))
    expect(restore.get_by_label("Restoration strength")).to_have_value("0.5")
    expect(restore.locator("output")).to_have_text("50 %")

    # VSE Assembler: Render Final Video, disabled until a Sequence is connected, saying so. Placed below the first
    # view, its body is drawn once it is seen: the whole graph in view.
    fit_view(page)
    vse = page.locator(node("VSEAssemblerNode"))
    expect(vse.get_by_role("button", name="Render Final Video")).to_be_disabled()
    expect(vse).to_contain_text("Connect a Sequence to its input to render it.")
    fit_view(page)
    page.screenshot(path=str(artifacts / "01-table-2-nodes.png"))

    def saved(node_type: str) -> dict[str, Any]:
        graph = httpx.get(f"{chain.server.url}/api/v1/projects/{project_id}", headers=chain.headers).json()
        return next(n["data"] for n in graph["graph"]["nodes"] if n["type"] == node_type)

    for _ in range(50):
        if saved("SuperResolutionNode").get("scale") == 4 and saved("AssetNode").get("name") == "The keeper":
            break
        page.wait_for_timeout(100)
    assert saved("SuperResolutionNode")["scale"] == 4
    assert saved("AssetNode") == {"path": "01_Assets/Characters/keeper.png", "name": "The keeper"}
    assert saved("PipelineNode") == {"pipeline_id": "cpu-storyboard", "version": "1.0.0"}


def test_file_inputs_play_the_project_file_they_hold(chain: Chain, browser: Browser, artifacts: Path) -> None:
    graph = {
        "schema_version": 1,
        "nodes": [
            {
                "id": "motion",
                "type": "MotionSourceNode",
                "position": {"x": 0, "y": 0},
                "data": {"source_video": "01_Assets/Source_Media/walk.mp4"},
            },
            {
                "id": "voice",
                "type": "AudioNode",
                "position": {"x": 380, "y": 0},
                "data": {"source_audio": "01_Assets/Source_Media/voice.wav", "text": "Keep the light burning."},
            },
        ],
        "edges": [],
    }
    project_id = chain.project(graph)
    media = repo_of(chain, project_id) / "01_Assets" / "Source_Media"
    make_clip(media / "walk.mp4", "blue", 24, audio=None)
    sine = [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "sine=f=330:d=1", str(media / "voice.wav")]
    subprocess.run(sine, check=True)
    page = browser.new_context(viewport=VIEWPORT).new_page()
    open_canvas(page, chain, project_id)

    video = page.locator(f"{node('MotionSourceNode')} [data-testid=file-input] video")
    expect(video).to_be_visible()
    page.wait_for_function("(v) => v.readyState >= 3 && v.duration > 0.9", arg=video.element_handle())
    assert (video.get_attribute("src") or "").startswith("blob:")
    expect(page.locator(node("MotionSourceNode")).get_by_test_id("file-input")).to_contain_text("walk.mp4")
    sound = page.locator(f"{node('AudioNode')} [data-testid=file-input] audio")
    expect(sound).to_be_attached()
    page.wait_for_function("(a) => a.readyState >= 1 && a.duration > 0.9", arg=sound.element_handle())
    expect(page.locator(node("AudioNode")).get_by_role("button", name="Replace…")).to_be_visible()
    page.wait_for_timeout(1000)  # the player's loading spinner fades out; the screenshot is for people
    page.screenshot(path=str(artifacts / "01-file-inputs.png"))

    # Clearing the input empties it on the server too.
    page.locator(node("AudioNode")).get_by_role("button", name="Clear Reference voice").click()
    expect(page.locator(node("AudioNode")).get_by_test_id("file-input")).to_contain_text("Drop an audio file")
    for _ in range(50):
        if "source_audio" not in saved_node(chain, project_id, "voice")["data"]:
            break
        page.wait_for_timeout(100)
    assert saved_node(chain, project_id, "voice")["data"] == {"text": "Keep the light burning."}


def test_a_validation_issue_shows_on_its_node_until_it_is_fixed(
    chain: Chain, browser: Browser, artifacts: Path
) -> None:
    project_id = chain.project(EMPTY)
    page = browser.new_context(viewport=VIEWPORT).new_page()
    open_canvas(page, chain, project_id)
    expect(page.get_by_test_id("graph-issues")).to_have_count(0)

    # An Audio node needs text to speak: the server's validator says so on the node.
    page.locator("aside [data-node-type=AudioNode]").click()
    audio = page.locator(node("AudioNode"))
    badge = audio.get_by_test_id("issue-badge")
    expect(badge).to_have_text("! 1")
    expect(audio.locator(".node")).to_have_class(has_class("issues-error"))
    badge.hover()
    popover = audio.get_by_test_id("issue-popover")
    expect(popover).to_be_visible()
    node_id = audio.get_attribute("data-id")
    expect(popover).to_contain_text(f"Node '{node_id}' (AudioNode) needs input 'text' (String), which is empty.")
    expect(popover).to_contain_text("Type a value into 'text' or connect a String output to it.")
    expect(page.get_by_test_id("graph-issues")).to_have_text("1 problem")
    page.screenshot(path=str(artifacts / "01-issue-on-node.png"))

    # Typing the text fixes it: the badge and the outline go once the server agrees.
    audio.get_by_label("Text to speak").fill("The light must not go out.")
    expect(badge).to_have_count(0)
    expect(audio.locator(".node")).to_have_class(has_class("issues-none"))
    expect(page.get_by_test_id("graph-issues")).to_have_count(0)
    page.screenshot(path=str(artifacts / "02-issue-fixed.png"))


def test_two_takes_side_by_side_and_the_active_take_changes(chain: Chain, browser: Browser, artifacts: Path) -> None:
    chain.start_worker()
    project_id = chain.project(shot_graph("cpu-storyboard", prompt="a lighthouse at dusk"))
    page = browser.new_context(viewport=VIEWPORT).new_page()
    open_canvas(page, chain, project_id)
    shot = page.locator(SHOT)
    strip = shot.get_by_role("list", name="Takes").get_by_role("button")

    for count, prompt in ((1, "a lighthouse at dusk"), (2, "a lighthouse at dawn, calm sea")):
        shot.get_by_label("Prompt", exact=True).fill(prompt)
        shot.get_by_role("button", name="Generate").click()
        expect(strip).to_have_count(count, timeout=90_000)
        expect(shot.get_by_test_id("node-state")).to_have_text("Done", timeout=30_000)
    expect(shot.get_by_test_id("shown-take")).to_contain_text("Take 02 · cpu-storyboard · ")
    page.screenshot(path=str(artifacts / "01-two-takes.png"))

    shot.get_by_role("button", name="A/B").click()
    compare = page.get_by_test_id("take-compare")
    expect(compare).to_be_visible()
    for side, take in (("A", "Take 01"), ("B", "Take 02")):
        half = compare.get_by_test_id(f"compare-{side}")
        expect(half.locator("option:checked")).to_contain_text(f"{take} · cpu-storyboard · ")
        image = half.locator("img")
        expect(image).to_be_visible()
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        box = image.bounding_box()
        assert box and box["width"] > 600, box  # side by side at a size worth judging, at 1440 wide
    expect(compare.get_by_test_id("compare-B").get_by_test_id("compare-active")).to_have_text("Active take")
    page.screenshot(path=str(artifacts / "02-compare.png"))

    # Making A the active take: the server keeps it and the node shows it.
    compare.get_by_role("button", name="Use take 01").click()
    expect(compare.get_by_test_id("compare-A").get_by_test_id("compare-active")).to_be_visible()
    expect(compare.get_by_test_id("compare-B").get_by_role("button", name="Use take 02")).to_be_visible()
    page.screenshot(path=str(artifacts / "03-take-01-chosen.png"))
    page.keyboard.press("Escape")
    expect(compare).to_have_count(0)
    expect(shot.get_by_role("button", name="Take 01")).to_have_attribute("aria-pressed", "true")
    expect(shot.get_by_test_id("shown-take")).to_contain_text("Take 01")
    expect(page.locator(SHOT)).to_have_count(1)  # Esc closed the view and deleted nothing
    for _ in range(50):
        if str(saved_node(chain, project_id, "shot")["data"].get("active_take", "")).endswith("_take01.png"):
            break
        page.wait_for_timeout(100)
    assert saved_node(chain, project_id, "shot")["data"]["active_take"].endswith("SHOT-010_v01_take01.png")
    page.screenshot(path=str(artifacts / "04-closed.png"))


def test_the_vse_assembler_renders_the_final_video(chain: Chain, browser: Browser, artifacts: Path) -> None:
    paths = [f"03_Renders/SCENE_01/SHOT_0{n}0/SHOT-0{n}0_v01_take01.mp4" for n in (1, 2)]
    graph = sequence_graph(paths)
    for i, placed in enumerate(graph["nodes"]):
        placed["position"] = {"x": 0, "y": i * 420} if placed["type"] == "ShotNode" else {"x": 380, "y": 200}
    for edge in graph["edges"]:
        edge["sourceHandle"] = "video"
    graph["nodes"].append(
        {
            "id": "vse",
            "type": "VSEAssemblerNode",
            "position": {"x": 700, "y": 200},
            "data": {"output_name": "final_cut"},
        }
    )
    graph["edges"].append(
        {"id": "ev", "source": "seq", "sourceHandle": "edl", "target": "vse", "targetHandle": "sequence"}
    )
    project_id = chain.project(graph)
    page = browser.new_context(viewport=VIEWPORT).new_page()
    open_canvas(page, chain, project_id)
    vse = page.locator(node("VSEAssemblerNode"))
    render = vse.get_by_role("button", name="Render Final Video")

    # Before the takes exist the server refuses, and the node says why.
    render.click()
    expect(vse.get_by_test_id("node-state")).to_have_text("Failed")
    expect(vse.get_by_test_id("node-error")).to_contain_text("which is not in the project; pick one of its takes.")
    fit_view(page)
    page.screenshot(path=str(artifacts / "01-render-refused.png"))

    repo = TakeRepo(GitRepo(repo_of(chain, project_id)))
    assert [repo.add_take(10, "red", 24), repo.add_take(20, "green", 30)] == paths
    chain.start_worker()
    page.evaluate(
        """() => {
          window.__states = [];
          const chip = document.querySelector('.svelte-flow__node-VSEAssemblerNode [data-testid=node-state]');
          new MutationObserver(() => window.__states.push(chip.textContent.trim()))
            .observe(chip, {childList: true, characterData: true, subtree: true});
        }"""
    )
    render.click()
    expect(vse.get_by_test_id("node-state")).to_have_text("Done", timeout=120_000)
    assert "Rendering" in page.evaluate("window.__states")
    output = vse.get_by_test_id("render-output")
    expect(output).to_contain_text("06_Exports/final_cut_v001.mp4")
    link = output.get_by_test_id("file-link")
    expect(link).to_have_attribute("download", "final_cut_v001.mp4")
    assert (link.get_attribute("href") or "").startswith("blob:")
    video = output.locator("video")
    played = "(v) => v.readyState >= 3 && Math.abs(v.duration - 54 / 24) < 0.1"  # 24 + 30 frames at 24 fps
    page.wait_for_function(played, arg=video.element_handle())
    page.wait_for_timeout(1000)  # the player's loading spinner fades out; the screenshot is for people
    page.screenshot(path=str(artifacts / "02-rendered.png"))
    first = (repo.root / "06_Exports" / "final_cut_v001.mp4").read_bytes()

    # A second render is a new file: the node shows it, and lists both (newest first) to open the earlier one.
    render.click()
    expect(output).to_contain_text("06_Exports/final_cut_v002.mp4", timeout=120_000)
    history = output.get_by_test_id("render-history")
    expect(history.locator("option")).to_have_count(2)
    expect(history.locator("option").first).to_contain_text("v002")
    # Python's escape, not the regex's (Playwright hands the pattern to JavaScript); the time is the browser's clock.
    earlier = re.compile("^v001 · [^·]+ · 2\\.3 s · 64\N{MULTIPLICATION SIGN}48 · 2 clips\\s*$")
    expect(history.locator("option").last).to_contain_text(earlier)
    history.select_option("06_Exports/final_cut_v001.mp4")
    expect(output).to_contain_text("06_Exports/final_cut_v001.mp4")
    expect(link).to_have_attribute("download", "final_cut_v001.mp4")
    page.reload()
    expect(output).to_contain_text("06_Exports/final_cut_v002.mp4")  # after a reload: the newest
    assert (repo.root / "06_Exports" / "final_cut_v001.mp4").read_bytes() == first


def test_an_uploaded_voice_feeds_a_generated_audio_take(
    chain: Chain, browser: Browser, artifacts: Path, tmp_path: Path
) -> None:
    chain.start_worker()
    graph = {
        "schema_version": 1,
        "nodes": [
            {"id": "voice", "type": "AudioNode", "position": {"x": 0, "y": 0}, "data": {"text": "Keep it burning."}},
            {"id": "motion", "type": "MotionSourceNode", "position": {"x": 420, "y": 0}, "data": {}},
        ],
        "edges": [],
    }
    project_id = chain.project(graph, quality="low")
    recording = tmp_path / "Keeper take 3.wav"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "sine=f=220:d=1", str(recording)], check=True)
    broken = tmp_path / "walk.mp4"
    broken.write_bytes(b"not a video at all" * 100)
    page = browser.new_context(viewport=VIEWPORT).new_page()
    open_canvas(page, chain, project_id)
    fit_view(page)

    # The file goes up through the uploads route, and the input names the stored file.
    page.locator(f"{node('AudioNode')} input[type=file]").set_input_files(str(recording))
    audio_input = page.locator(node("AudioNode")).get_by_test_id("file-input")
    expect(audio_input).to_contain_text(re.compile(r"Keeper_take_3-[0-9a-f]{8}\.wav"))
    for _ in range(50):
        if "source_audio" in saved_node(chain, project_id, "voice")["data"]:
            break
        page.wait_for_timeout(100)
    stored = saved_node(chain, project_id, "voice")["data"]["source_audio"]
    assert re.fullmatch(r"01_Assets/Source_Media/Keeper_take_3-[0-9a-f]{8}\.wav", stored), stored
    assert (repo_of(chain, project_id) / stored).read_bytes() == recording.read_bytes()

    # A file that is not what it says is refused with the server's sentence, and the input stays empty.
    page.locator(f"{node('MotionSourceNode')} input[type=file]").set_input_files(str(broken))
    refusal = page.locator(node("MotionSourceNode")).get_by_role("alert")
    expect(refusal).to_contain_text("could not be decoded as video")
    assert "source_video" not in saved_node(chain, project_id, "motion")["data"]
    page.screenshot(path=str(artifacts / "01-uploaded-and-refused.png"))

    # Generate on the Audio node: a take of its own, in a folder named after the node.
    page.locator(node("AudioNode")).get_by_role("button", name="Generate").click()
    state = page.locator(node("AudioNode")).get_by_test_id("node-state")
    expect(state).to_have_text(re.compile("Done|Failed|1 take"), timeout=90_000)
    assert page.locator(node("AudioNode")).get_by_test_id("node-error").count() == 0
    expect(page.locator(node("AudioNode")).get_by_test_id("shown-take")).to_be_visible(timeout=15_000)
    takes = httpx.get(
        f"{chain.server.url}/api/v1/projects/{project_id}/takes", params={"node_id": "voice"}, headers=chain.headers
    ).json()
    assert [t["path"] for t in takes] == ["03_Renders/SCENE_01/NODE_voice/NODE-voice_v01_take01.wav"]
    page.screenshot(path=str(artifacts / "02-audio-take.png"))
    page.context.close()
