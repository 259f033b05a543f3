"""PRD §9.2 in a real browser: the UI, the studio, a Celery worker and the CPU pipeline, nothing faked."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.server.generation.conftest import Chain, shot_graph
from tests.support.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWPORT = {"width": 1440, "height": 900}


def sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/projects")


def drag(page: Page, source: str, target: str) -> None:
    """A pointer drag from one handle to another, in steps (Svelte Flow follows pointer moves)."""
    start = page.locator(source).bounding_box()
    end = page.locator(target).bounding_box()
    assert start and end
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
    page.mouse.up()


def open_live(chain: Chain, browser: Browser, graph: dict[str, Any]) -> Page:
    """A new project holding `graph`, open on the canvas of a signed-in page, its socket live."""
    project_id = chain.project(graph)
    page = browser.new_context(viewport=VIEWPORT).new_page()
    sign_in(page, chain.server.url)
    page.goto(f"{chain.server.url}/projects/{project_id}")
    expect(page.get_by_test_id("connection-status")).to_contain_text("Live")
    return page


SHOT = ".svelte-flow__node-ShotNode"
PIPE = ".svelte-flow__node-PipelineNode"
EDGE = ".svelte-flow__edge"


def handles_of_shots(page: Page) -> dict[str, list[tuple[str, str | None, list[int]]]]:
    """Each mounted shot's handles: (handle id, role, where in the node, in layout px: the zoom does not change it)."""
    found: dict[str, list[list[Any]]] = page.locator(SHOT).evaluate_all(
        """(nodes) => Object.fromEntries(nodes.map((node) => [node.dataset.id,
            [...node.querySelectorAll('.svelte-flow__handle')].map((handle) => {
                let [x, y, at] = [0, 0, handle];
                for (; at && at !== node; at = at.offsetParent) [x, y] = [x + at.offsetLeft, y + at.offsetTop];
                return [handle.dataset.handleid, handle.getAttribute('role'), [x, y]];
            })]))"""
    )
    return {shot: [(name, role, at) for name, role, at in handles] for shot, handles in found.items()}


def sizes_of_shots(page: Page) -> dict[str, list[int]]:
    """Each mounted shot's size in layout px (what Svelte Flow measures, whatever the zoom)."""
    sizes: dict[str, list[int]] = page.locator(SHOT).evaluate_all(
        "(nodes) => Object.fromEntries(nodes.map((n) => [n.dataset.id, [n.offsetWidth, n.offsetHeight]]))"
    )
    return sizes


def test_create_a_project_build_a_shot_and_generate_it(chain: Chain, browser: Browser, artifacts: Path) -> None:
    chain.start_worker()
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))
    shot = lambda n: page.screenshot(path=str(artifacts / f"{n}.png"))  # noqa: E731

    # 1. Create a new project via the UI.
    sign_in(page, chain.server.url)
    shot("01-project-hub")
    page.get_by_role("button", name="New project").click()
    page.get_by_label("Title").fill("The Lighthouse")
    page.get_by_label("Description").fill("A keeper, a storm, a light that will not go out.")
    page.get_by_label("Quality").select_option("low")
    shot("01b-new-project-form")
    page.get_by_role("button", name="Create project").click()

    # 2. Its Production Canvas opens, live over the socket.
    page.wait_for_url(f"{chain.server.url}/projects/*")
    project_id = page.url.rsplit("/", 1)[1]
    expect(page.get_by_test_id("connection-status")).to_contain_text("Live")
    shot("02-canvas-empty")

    # 3. A ShotNode and a PipelineNode from the palette; the pipeline set to the CPU storyboard.
    page.get_by_role("button", name="Shot", exact=True).click()
    page.locator("aside").get_by_role("button", name="Pipeline", exact=True).click()
    expect(page.locator(SHOT)).to_have_count(1)
    expect(page.locator(PIPE)).to_have_count(1)
    page.locator(PIPE).get_by_label("Pipeline").select_option("cpu-storyboard")
    shot("03-nodes-added")

    # 4. Connect them and type a prompt.
    drag(page, f"{PIPE} .svelte-flow__handle.source[data-handleid=pipeline]", f"{SHOT} [data-handleid=pipeline]")
    expect(page.locator(EDGE)).to_have_count(1)
    page.locator(SHOT).get_by_label("Prompt", exact=True).fill("a lighthouse at dusk, storm clouds")
    shot("04-connected-with-prompt")
    # The shot keeps its size through the run and with its take (and after a reload): a node's box does not
    # depend on its run state or its takes (GenerateBar, TakesBrowser), so a body drawn late fits its hinted box.
    size_of_shot = lambda: page.locator(SHOT).evaluate("(n) => [n.offsetWidth, n.offsetHeight]")  # noqa: E731
    idle_size = size_of_shot()

    # 5. Generate; 6. the node shows "generating" (sent by the server over the socket).
    page.evaluate(
        """() => {
          window.__states = [];
          const node = document.querySelector('[data-testid=node-state]');
          const seen = () => window.__states.push(node.textContent.trim());
          new MutationObserver(seen).observe(node, {childList: true, characterData: true, subtree: true});
        }"""
    )
    page.locator(SHOT).get_by_role("button", name="Generate").click()
    page.wait_for_function("() => window.__states.includes('Generating')")
    shot("06-generating")
    assert size_of_shot() == idle_size

    # 7. server:task_success arrives; 8. the thumbnail shows the new take.
    state = page.locator(SHOT).get_by_test_id("node-state")
    expect(state).to_have_text(re.compile("Done|Failed"), timeout=90_000)
    assert state.text_content() == "Done", page.locator(SHOT).inner_text()
    image = page.locator(f"{SHOT} [data-testid=node-thumbnail] img")
    expect(image).to_be_visible()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.get_attribute("src", timeout=1000).startswith("blob:")  # type: ignore[union-attr]
    shot("08-thumbnail")
    assert size_of_shot() == idle_size
    events = [json.loads(f[f.index("[") :]) for f in frames if f.startswith("42[")]
    states = [p["state"] for e, p in events if e == "server:node_state_updated"]
    assert "generating" in states and states[-1] == "done"
    success = next(p for e, p in events if e == "server:task_success")
    assert success["result"]["output_url"].startswith(f"/api/v1/projects/{project_id}/files/03_Renders/")

    # The server holds the graph the UI built.
    graph = httpx.get(f"{chain.server.url}/api/v1/projects/{project_id}", headers=chain.headers).json()["graph"]
    types = sorted(n["type"] for n in graph["nodes"])
    assert types == ["PipelineNode", "ShotNode"]
    shot_node = next(n for n in graph["nodes"] if n["type"] == "ShotNode")
    assert shot_node["data"]["prompt"] == "a lighthouse at dusk, storm clouds"
    assert [(e["sourceHandle"], e["targetHandle"]) for e in graph["edges"]] == [("pipeline", "pipeline")]

    # An invalid connection is refused: a pipeline reference cannot feed the prompt (a String).
    drag(page, f"{PIPE} .svelte-flow__handle.source[data-handleid=pipeline]", f"{SHOT} [data-handleid=prompt]")
    expect(page.locator(EDGE)).to_have_count(1)
    shot("09-invalid-connection-refused")

    # A reload restores the graph and the take.
    page.reload()
    expect(page.get_by_test_id("connection-status")).to_contain_text("Live")
    expect(page.locator(SHOT)).to_have_count(1)
    expect(page.locator(EDGE)).to_have_count(1)
    expect(page.locator(SHOT).get_by_label("Prompt", exact=True)).to_have_value("a lighthouse at dusk, storm clouds")
    expect(page.locator(f"{SHOT} [data-testid=node-thumbnail] img")).to_be_visible()
    shot("10-after-reload")
    assert size_of_shot() == idle_size

    # Two browsers on one project see each other's edits.
    other_context = browser.new_context(viewport=VIEWPORT)
    other = other_context.new_page()
    sign_in(other, chain.server.url)
    other.goto(f"{chain.server.url}/projects/{project_id}")
    expect(other.get_by_test_id("connection-status")).to_contain_text("Live")
    expect(other.locator(SHOT)).to_have_count(1)
    page.locator("aside").get_by_role("button", name="Audio", exact=True).click()
    expect(other.locator(".svelte-flow__node-AudioNode")).to_have_count(1)
    other.locator(SHOT).get_by_label("Prompt", exact=True).fill("a lighthouse at dawn")
    expect(page.locator(SHOT).get_by_label("Prompt", exact=True)).to_have_value("a lighthouse at dawn")
    other.screenshot(path=str(artifacts / "11-second-browser.png"))
    shot("11-first-browser")
    other_context.close()
    context.close()


def test_the_canvas_reconnects_after_a_server_restart_and_resyncs(
    chain: Chain, browser: Browser, artifacts: Path
) -> None:
    project_id = chain.project(shot_graph("cpu-storyboard"))
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    sign_in(page, chain.server.url)
    page.goto(f"{chain.server.url}/projects/{project_id}")
    status = page.get_by_test_id("connection-status")
    expect(status).to_contain_text("Live")
    expect(page.locator(SHOT)).to_have_count(1)

    chain.server.stop()
    expect(status).to_contain_text("Reconnecting")
    page.screenshot(path=str(artifacts / "01-reconnecting.png"))
    chain.server.start()
    # Meanwhile another client changes the graph: the reconnected canvas must show it (full sync).
    saved = httpx.get(f"{chain.server.url}/api/v1/projects/{project_id}", headers=chain.headers).json()
    graph = saved["graph"]
    graph["nodes"][0]["data"]["prompt"] = "changed while you were away"
    httpx.put(
        f"{chain.server.url}/api/v1/projects/{project_id}",
        json={"version": saved["version"], "graph": graph},
        headers=chain.headers,
    ).raise_for_status()
    expect(status).to_contain_text("Live", timeout=30_000)
    expect(page.locator(SHOT).get_by_label("Prompt", exact=True)).to_have_value("changed while you were away")
    # And edits carry the right version again.
    page.locator("aside").get_by_role("button", name="Audio", exact=True).click()
    expect(page.locator(".svelte-flow__node-AudioNode")).to_have_count(1)
    page.screenshot(path=str(artifacts / "02-live-again.png"))

    def types() -> list[str]:
        body = httpx.get(f"{chain.server.url}/api/v1/projects/{project_id}", headers=chain.headers).json()
        return sorted(n["type"] for n in body["graph"]["nodes"])

    expect(page.get_by_test_id("connection-status")).to_contain_text("Live")
    for _ in range(50):
        if "AudioNode" in types():
            break
        page.wait_for_timeout(100)
    assert types() == ["AudioNode", "PipelineNode", "ShotNode"]
    context.close()


def test_a_node_body_is_drawn_once_the_node_is_seen_at_a_readable_zoom(chain: Chain, browser: Browser) -> None:
    """64 shots far from where the view starts: the overview draws their frames only, zooming in draws the
    bodies in view (and only those), and a drawn body stays drawn when the view zooms out again."""
    shots = [
        {
            "id": f"shot-{i:02d}",
            "type": "ShotNode",
            "position": {"x": 3000 + (i % 8) * 340, "y": 3000 + (i // 8) * 540},
            "data": {"shot_id": f"SHOT-{(i + 1) * 10:04d}", "prompt": f"shot {i}"},
        }
        for i in range(64)
    ]
    page = open_live(chain, browser, {"schema_version": 1, "nodes": shots, "edges": []})

    prompts = page.locator(SHOT).get_by_label("Prompt", exact=True)
    expect(page.locator(f"{SHOT} .body")).to_have_count(64)
    # Fit view is below the readable zoom: no body is made, each is a box of a body's size.
    expect(page.locator(".svelte-flow__viewport")).to_have_attribute("style", re.compile(r"scale\(0\.2\)"))
    expect(prompts).to_have_count(0)
    heights = page.locator(f"{SHOT} .body").evaluate_all("(bodies) => bodies.map((b) => b.offsetHeight)")
    assert min(heights) > 100, heights

    # Not drawn, a node's handles are plain elements (no role: Svelte Flow's Handle is a button), measured as one.
    before = handles_of_shots(page)
    sizes_before = sizes_of_shots(page)
    kinds = {tuple(name for name, _, _ in handles) for handles in before.values()}
    assert len(before) == 64 and len(kinds) == 1 and len(kinds.pop()) >= 6, before
    assert {role for h in before.values() for _, role, _ in h} == {None}, before

    for _ in range(5):  # 0.2 * 1.2**5 = 0.5: the middle rows fill the view
        page.locator(".svelte-flow__controls-zoomin").click()
    expect(prompts.first).to_be_visible()
    drawn = prompts.count()
    assert 0 < drawn < 64, drawn
    expect(prompts.first).to_have_value(re.compile(r"^shot \d+$"))
    # A drawn node's handles are Svelte Flow's, where the plain ones were; the others' are as they were. No node
    # changed its size: the box its body had before it was drawn is the drawn body's (a shot's body was measured
    # before the first render, BodyGauge.svelte), so Svelte Flow's measurements and the edges' ends hold.
    after = handles_of_shots(page)
    with_prompt = page.locator(SHOT).filter(has=page.get_by_label("Prompt", exact=True))
    drawn_ids = set(with_prompt.evaluate_all("(nodes) => nodes.map((n) => n.dataset.id)"))
    assert len(drawn_ids) == drawn
    for shot_id, handles in after.items():
        expected = before[shot_id]
        if shot_id in drawn_ids:
            expected = [(name, "button", at) for name, _, at in expected]
        assert handles == expected, (shot_id, handles, expected)
    assert sizes_of_shots(page) == sizes_before

    page.locator(".svelte-flow__controls-fitview").click()
    page.wait_for_timeout(500)
    assert prompts.count() == drawn


MAP_NODE_RGB = (0x3A, 0x42, 0x57)  # the overview map's node colour (Canvas.svelte)


def map_node_columns(page: Page) -> list[tuple[int, int]]:
    """The runs of columns of the overview map's canvas that hold a node's colour, in canvas pixels."""
    runs: list[list[int]] = (
        page.get_by_test_id("overview-map")
        .locator("canvas")
        .evaluate(
            """(canvas, rgb) => {
            const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
            const runs = [];
            for (let x = 0; x < width; x++) {
                let hit = false;
                for (let y = 0; y < height && !hit; y++) {
                    const i = 4 * (y * width + x);
                    hit = data[i] === rgb[0] && data[i + 1] === rgb[1] && data[i + 2] === rgb[2] && data[i + 3] === 255;
                }
                if (hit && runs.length && runs[runs.length - 1][1] === x - 1) runs[runs.length - 1][1] = x;
                else if (hit) runs.push([x, x]);
            }
            return runs;
        }""",
            list(MAP_NODE_RGB),
        )
    )
    return [(start, end) for start, end in runs]


def view_on_map(page: Page) -> dict[str, float]:
    box = page.get_by_test_id("overview-map").locator(".view").bounding_box()
    assert box
    return box


def test_the_overview_map_draws_the_nodes_and_shows_and_moves_the_view(chain: Chain, browser: Browser) -> None:
    """Three shots in a row wider than the fit view: the map draws three nodes evenly apart, and its view rectangle
    has the pane's proportions; panning the pane moves the rectangle the same way (the view stays inside the row,
    so the map's extent and scale stay), and dragging on the map pans the canvas."""
    shots = [
        {"id": f"shot-{i}", "type": "ShotNode", "position": {"x": i * 10000, "y": 0}, "data": {"prompt": f"p{i}"}}
        for i in range(3)
    ]
    page = open_live(chain, browser, {"schema_version": 1, "nodes": shots, "edges": []})
    expect(page.locator(f'{SHOT}[data-id="shot-1"]')).to_be_visible()

    page.wait_for_function(
        """() => { const c = document.querySelector('[data-testid="overview-map"] canvas');
                   return c && c.width > 0; }"""
    )
    page.wait_for_timeout(300)
    runs = map_node_columns(page)
    assert len(runs) == 3, runs  # three nodes, drawn apart ...
    widths = [end - start + 1 for start, end in runs]
    gaps = [runs[1][0] - runs[0][1], runs[2][0] - runs[1][1]]
    assert max(widths) < min(gaps), (widths, gaps)  # ... 10,000 apart and a few hundred wide
    assert abs(gaps[0] - gaps[1]) <= 2, gaps  # evenly spaced, as they are on the canvas

    pane = page.locator(".svelte-flow__pane").bounding_box()
    assert pane
    before = view_on_map(page)
    assert before["width"] / before["height"] == pytest.approx(pane["width"] / pane["height"], rel=0.05)

    def viewport_x() -> float:
        return float(
            page.evaluate(
                "() => new DOMMatrix(getComputedStyle(document.querySelector('.svelte-flow__viewport')).transform).e"
            )
        )

    # Dragging the pane to the left shows what lies to the right: the map's rectangle moves right.
    y = pane["y"] + pane["height"] - 40
    page.mouse.move(pane["x"] + 900, y)
    page.mouse.down()
    page.mouse.move(pane["x"] + 500, y, steps=8)
    page.mouse.up()
    panned = view_on_map(page)
    assert panned["x"] > before["x"] + 2, (before, panned)
    assert panned["width"] == pytest.approx(before["width"], abs=0.5)  # a pan does not zoom

    # Dragging the map's rectangle to the left pans the canvas back: the viewport moves right (x grows).
    x_before = viewport_x()
    centre = (panned["x"] + panned["width"] / 2, panned["y"] + panned["height"] / 2)
    page.mouse.move(*centre)
    page.mouse.down()
    page.mouse.move(centre[0] - 10, centre[1], steps=5)
    page.mouse.up()
    assert viewport_x() > x_before + 20, (x_before, viewport_x())
    assert view_on_map(page)["x"] < panned["x"] - 2


def test_only_the_nodes_in_view_are_mounted_and_a_node_panned_into_view_is_drawn_as_before(
    chain: Chain, browser: Browser
) -> None:
    """60 shots in a row, five views wide at the smallest zoom: a shot at the far end is not in the page (nor, once
    the page is idle, in the half view around the view that is then mounted) until the view is panned to it, and
    then it is drawn at the size of a shot in view from the start; a shot panned out of view stays in the page at
    its size (no node is mounted again on each frame of a pan); an edge crossing the view is drawn before its far
    end is mounted, and once it is, ends where its socket is drawn (Svelte Flow's measurement, not the size hint,
    places it)."""
    shots = [
        {
            "id": f"shot-{i:02d}",
            "type": "ShotNode",
            "position": {"x": i * 340, "y": 0},
            "data": {"shot_id": f"SHOT-{(i + 1) * 10:04d}", "prompt": f"shot {i}"},
        }
        for i in range(60)
    ]
    pipe = {"id": "pipe", "type": "PipelineNode", "position": {"x": 30 * 340, "y": -400}, "data": {}}
    # The edge crosses the first view; shot-59, its far end, is out of it.
    edge = {"id": "e0", "source": "pipe", "sourceHandle": "pipeline", "target": "shot-59", "targetHandle": "pipeline"}
    page = open_live(chain, browser, {"schema_version": 1, "nodes": [pipe, *shots], "edges": [edge]})

    first = page.locator(f'{SHOT}[data-id="shot-59"]')
    expect(page.locator(".svelte-flow__viewport")).to_have_attribute("style", re.compile(r"scale\(0\.2\)"))
    expect(page.locator(f'{SHOT}[data-id="shot-30"]')).to_be_visible()
    page.wait_for_timeout(1500)  # idle: the half view around the view mounts; shot-59 lies beyond it either way
    mounted = page.locator(SHOT).count()
    assert 0 < mounted < 60, mounted
    expect(first).to_have_count(0)
    expect(page.locator('.svelte-flow__edge[data-id="e0"]')).to_have_count(1)
    reference = page.locator(f'{SHOT}[data-id="shot-30"]').evaluate("(n) => [n.offsetWidth, n.offsetHeight]")
    seen = page.locator(f'{SHOT}[data-id="shot-25"]')  # in view now, out of view once panned to the far end
    expect(seen).to_be_visible()
    seen_size = seen.evaluate("(n) => [n.offsetWidth, n.offsetHeight]")

    pane = page.locator(".svelte-flow__pane").bounding_box()
    assert pane
    y = pane["y"] + pane["height"] - 40  # below the row of shots: the empty pane, which pans
    captured = "document.querySelector('.svelte-flow__pane').hasPointerCapture(1)"  # the mouse's pointer
    for _ in range(2):  # to the far end
        page.mouse.move(pane["x"] + 900, y)
        page.mouse.down()
        # The dragged pane holds the pointer: its moves reach it without Chrome hit-testing every node and edge.
        assert page.evaluate(captured)
        page.mouse.move(pane["x"] + 100, y, steps=10)
        page.mouse.up()
        assert not page.evaluate(captured)

    expect(first).to_be_visible()
    expect(first).to_have_js_property("offsetWidth", reference[0])
    expect(first).to_have_js_property("offsetHeight", reference[1])
    seen_box, pane_box = seen.bounding_box(), page.locator(".svelte-flow__pane").bounding_box()
    assert seen_box and pane_box and seen_box["x"] + seen_box["width"] < pane_box["x"], (seen_box, pane_box)
    assert seen.evaluate("(n) => [n.offsetWidth, n.offsetHeight]") == seen_size
    socket = first.locator('.svelte-flow__handle[data-handleid="pipeline"]')
    drawn_end = socket.evaluate(
        """(handle) => {
            const flow = document.querySelector('.svelte-flow').getBoundingClientRect();
            const [, x, y, zoom] = /translate\\(([^p]+)px, ([^p]+)px\\) scale\\(([^)]+)\\)/
                .exec(document.querySelector('.svelte-flow__viewport').style.transform).map(Number);
            const box = handle.getBoundingClientRect();
            return [(box.left - flow.left - x) / zoom, (box.top + box.height / 2 - flow.top - y) / zoom];
        }"""
    )
    page.wait_for_function(
        """([x, y]) => {
            const path = document.querySelector('.svelte-flow__edge[data-id="e0"] path.svelte-flow__edge-path');
            const d = path?.getAttribute('d');
            const [ex, ey] = (d?.match(/-?\\d+(?:\\.\\d+)?/g) ?? []).slice(-2).map(Number);
            return Math.abs(ex - x) < 0.5 && Math.abs(ey - y) < 0.5;
        }""",
        arg=drawn_end,
        timeout=5000,
    )
