"""The timeline editor in a real browser against the studio and a Celery worker: edit a cut (reorder, trim,
dissolve, title), undo and redo them, preview the cut from the takes, render it (and see the render after a
reload), download its EDL, and re-import an edited one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from server.projects.git import GitRepo, studio_author
from server.takes.naming import ShotSlot
from server.takes.store import commit_take
from tests.browser.test_canvas import VIEWPORT
from tests.browser.test_nodes import fit_view, node, open_canvas, saved_node
from tests.server.assembly.media import make_clip, sequence_graph
from tests.server.generation.conftest import Chain
from tests.server.generation.test_chain import repo_of
from tests.support.factories import take_fields

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FPS = 24
TAKES = [f"03_Renders/SCENE_01/SHOT_0{n}0/SHOT-0{n}0_v01_take01.mp4" for n in (1, 2)]


def cut_graph() -> dict[str, Any]:
    """Two shots (SHOT-010 red, 24 frames; SHOT-020 green, 36 frames) into a Sequence, into a VSE Assembler."""
    graph = sequence_graph(TAKES, fps=FPS)
    for i, placed in enumerate(graph["nodes"]):
        placed["position"] = {"x": 0, "y": i * 420} if placed["type"] == "ShotNode" else {"x": 380, "y": 200}
    for edge in graph["edges"]:
        edge["sourceHandle"] = "video"
    graph["nodes"].append(
        {"id": "vse", "type": "VSEAssemblerNode", "position": {"x": 740, "y": 200}, "data": {"output_name": "cut"}}
    )
    graph["edges"].append(
        {"id": "ev", "source": "seq", "sourceHandle": "edl", "target": "vse", "targetHandle": "sequence"}
    )
    return graph


def add_take(repo: GitRepo, shot: int, colour: str, frames: int, scratch: Path) -> str:
    """A take committed as a worker commits one (sidecar, thumbnail), so the canvas lists it."""
    clip = make_clip(scratch / f"{shot}.mp4", colour, frames, fps=FPS)
    made = commit_take(
        repo, ShotSlot("SCENE_01", f"SHOT-{shot:03d}", 1), clip, take_fields(f"t{shot}"), studio_author("alice")
    )
    return made.path


def saved_sequence(chain: Chain, project_id: str, page: Page, key: str, expected: Any) -> dict[str, Any]:
    """The Sequence's data once the server holds `expected` under `key` (edits are sent as they are made)."""
    for _ in range(100):
        data: dict[str, Any] = saved_node(chain, project_id, "seq")["data"]
        if data.get(key) == expected:
            return data
        page.wait_for_timeout(100)
    raise AssertionError(f"the server holds {key}={data.get(key)!r}, not {expected!r}")


def pointer_drag(page: Page, x0: float, y0: float, x1: float, y1: float) -> None:
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y1, steps=10)
    page.mouse.up()


def shift_last_event_out(edl: str, frames: int) -> str:
    """The EDL with its last event ending `frames` earlier (source out and record out), as an editor's trim."""

    def earlier(timecode: str) -> str:
        h, m, s, f = (int(p) for p in re.split(r"[:;]", timecode))
        total = ((h * 60 + m) * 60 + s) * FPS + f - frames
        return f"{total // (3600 * FPS):02d}:{total // (60 * FPS) % 60:02d}:{total // FPS % 60:02d}:{total % FPS:02d}"

    lines = edl.splitlines()
    events = [i for i, line in enumerate(lines) if len(re.findall(r"\d\d:\d\d:\d\d[:;]\d\d", line)) == 4]
    last = events[-1]
    codes = re.findall(r"\d\d:\d\d:\d\d[:;]\d\d", lines[last])
    replaced = [codes[0], earlier(codes[1]), codes[2], earlier(codes[3])]
    head = lines[last][: lines[last].index(codes[0])]
    lines[last] = head + " ".join(replaced)
    return "\n".join(lines) + "\n"


def test_edit_preview_render_and_round_trip_a_cut(
    chain: Chain, browser: Browser, artifacts: Path, tmp_path: Path
) -> None:
    project_id = chain.project(cut_graph())
    repo = GitRepo(repo_of(chain, project_id))
    assert [add_take(repo, 10, "red", 24, tmp_path), add_take(repo, 20, "green", 36, tmp_path)] == TAKES
    chain.start_worker()
    page = browser.new_context(viewport=VIEWPORT, accept_downloads=True).new_page()
    open_canvas(page, chain, project_id)
    fit_view(page)
    sequence = page.locator(node("SequenceNode"))
    expect(sequence.get_by_test_id("sequence-summary")).to_contain_text("2 clips · 24 fps")
    # Conform is a choice of the schema's modes (an enum the schema declares once, in $defs), saved as picked.
    conform = sequence.get_by_label("Conform", exact=True)
    expect(conform.locator("option")).to_have_text(["", "duplicate_drop", "blend"])
    conform.select_option("blend")
    saved_sequence(chain, project_id, page, "conform", "blend")
    sequence.get_by_role("button", name="Edit timeline").click()
    editor = page.get_by_test_id("timeline-editor")
    expect(editor).to_be_visible()
    clips = editor.get_by_test_id("timeline-clip")
    expect(clips).to_have_count(2)
    # Laid out by the takes' own lengths once their media is read.
    expect(clips.nth(0)).to_contain_text("24f")
    expect(clips.nth(1)).to_contain_text("36f")
    page.screenshot(path=str(artifacts / "01-opened.png"))

    # Reorder: SHOT-020 dragged before SHOT-010.
    first, second = clips.nth(0).bounding_box(), clips.nth(1).bounding_box()
    assert first and second
    pointer_drag(page, second["x"] + 40, second["y"] + 30, first["x"] + 5, first["y"] + 30)
    expect(clips.nth(0)).to_have_attribute("data-node", "shot-1")
    saved_sequence(chain, project_id, page, "timeline", [{"node_id": "shot-1"}, {"node_id": "shot-0"}])

    # Trim: the first clip's out-point, four frames earlier by the keyboard nudge.
    clips.nth(0).get_by_test_id("trim-out").click()
    for _ in range(4):
        page.keyboard.press(",")
    inspector = editor.get_by_test_id("timeline-inspector")
    expect(inspector.get_by_test_id("clip-out")).to_have_text("00:00:01:08 (32f)")
    expect(inspector.get_by_test_id("clip-duration")).to_have_text("00:00:01:08 (32f)")
    saved_sequence(chain, project_id, page, "timeline", [{"node_id": "shot-1", "trim_out": 4}, {"node_id": "shot-0"}])

    # A 6-frame dissolve on the cut, and a title at the playhead.
    editor.get_by_test_id("cut").first.click()
    inspector.get_by_label("Transition kind").select_option("dissolve")
    inspector.get_by_label("Transition frames").fill("6")
    inspector.get_by_label("Transition frames").press("Enter")
    saved_sequence(chain, project_id, page, "transitions", [{"after_clip": 0, "kind": "dissolve", "frames": 6}])
    editor.get_by_role("button", name="+ Title").click()
    inspector.get_by_label("Title text").fill("Harbour, dawn")
    inspector.get_by_label("Title text").press("Enter")
    inspector.get_by_label("Title position").select_option("center")
    saved_sequence(
        chain,
        project_id,
        page,
        "titles",
        [{"text": "Harbour, dawn", "start_frame": 0, "frames": 48, "position": "center"}],
    )
    page.screenshot(path=str(artifacts / "02-edited.png"))

    # Undo takes the title's position back through the canvas's history; redo restores it.
    page.keyboard.press("Escape")  # deselects, so the keys reach the panel rather than a field
    page.keyboard.press("Control+z")
    saved_sequence(
        chain,
        project_id,
        page,
        "titles",
        [{"text": "Harbour, dawn", "start_frame": 0, "frames": 48, "position": "lower_third"}],
    )
    page.keyboard.press("Control+Shift+z")
    saved_sequence(
        chain,
        project_id,
        page,
        "titles",
        [{"text": "Harbour, dawn", "start_frame": 0, "frames": 48, "position": "center"}],
    )

    # Preview: the playhead moves and the first clip (SHOT-020, green) plays, then the second.
    viewer = editor.get_by_test_id("timeline-viewer")
    page.keyboard.press("Home")
    expect(viewer).to_have_attribute("data-clip", "shot-1")
    expect(viewer.get_by_test_id("preview-title")).to_have_text("Harbour, dawn")
    page.keyboard.press("Space")
    page.wait_for_function(
        """() => {
          const video = [...document.querySelectorAll('[data-testid=timeline-viewer] video')]
            .find((v) => v.style.zIndex === '1');
          return video && !video.paused && video.currentTime > 0.3;
        }"""
    )
    page.screenshot(path=str(artifacts / "03-playing.png"))
    expect(viewer).to_have_attribute("data-clip", "shot-0", timeout=10_000)  # after 32 frames, the cut
    expect(editor.get_by_test_id("playhead-timecode")).not_to_have_text("00:00:00:00")
    page.keyboard.press("Space")

    # Back on the canvas: render through the worker.
    page.keyboard.press("Escape")
    expect(editor).to_have_count(0)
    vse = page.locator(node("VSEAssemblerNode"))
    vse.get_by_role("button", name="Render Final Video").click()
    expect(vse.get_by_test_id("node-state")).to_have_text("Done", timeout=120_000)
    expect(vse.get_by_test_id("render-output")).to_contain_text("06_Exports/cut_v001.mp4")
    page.screenshot(path=str(artifacts / "04-rendered.png"))
    # After a reload the node still shows its last render (the server lists a node's renders).
    page.reload()
    expect(page.get_by_test_id("connection-status")).to_contain_text("Live")
    expect(vse.get_by_test_id("render-output")).to_contain_text("06_Exports/cut_v001.mp4")

    # Download the EDL, trim the last event by two frames as an editor would, and import it.
    sequence.get_by_role("button", name="Edit timeline").click()
    editor.get_by_role("button", name="Export…").click()
    exports = editor.get_by_test_id("exports")
    with page.expect_download() as download:
        exports.get_by_test_id("export-edl").get_by_test_id("file-link").click()
    edl_text = Path(download.value.path()).read_text()
    assert edl_text.startswith("TITLE:") and "SHOT-010_v01_take01" in edl_text
    edited = artifacts / "edited.edl"
    edited.write_text(shift_last_event_out(edl_text, 2))
    editor.get_by_test_id("import-file").set_input_files(str(edited))
    review = page.get_by_test_id("import-review")
    expect(review.get_by_test_id("import-matched")).to_have_count(2)
    page.screenshot(path=str(artifacts / "05-import-review.png"))
    expect(review.get_by_test_id("import-trim-out").nth(1)).to_contain_text("0 → 2f")
    page.screenshot(path=str(artifacts / "05-import-review.png"))
    review.get_by_role("button", name="Apply to timeline").click()
    expect(review).to_have_count(0)
    # The import writes each clip whole (defaults spelled out); the new trim is there, the old one kept.
    untouched = {"trim_in": 0, "audio_offset": 0, "volume": 1}
    saved = saved_sequence(
        chain,
        project_id,
        page,
        "timeline",
        [{"node_id": "shot-1", **untouched, "trim_out": 4}, {"node_id": "shot-0", **untouched, "trim_out": 2}],
    )
    assert saved["transitions"] == [{"after_clip": 0, "kind": "dissolve", "frames": 6}]
    expect(editor.get_by_test_id("timeline-clip").nth(1)).to_contain_text("22f")
    page.screenshot(path=str(artifacts / "06-imported.png"))
