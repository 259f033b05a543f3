"""The comfyui runner against the stand-in: a template runs into real files, previews and progress are followed,
media inputs are uploaded, and every way it can go wrong is a sentence naming the ComfyUI node."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from function_runner.comfyui.runner import ComfyUIRun, ComfyUIRunner
from function_runner.comfyui.template import Template, load_template
from function_runner.errors import (
    ComfyUIMissingNodesError,
    ComfyUIUnavailableError,
    ComfyUIWorkflowError,
    ContractViolationError,
    PipelineCancelledError,
    PipelineTimeoutError,
)
from function_runner.execution import CancelToken
from tests.support.comfyui.server import ComfyUIStandIn
from tests.support.factories import copy_seed_template
from tests.support.postgres import free_port

SMALL = {"prompt": "a lighthouse at dawn", "width": 64, "height": 48, "steps": 3}


def runner(server: ComfyUIStandIn | str, tmp_path: Path) -> ComfyUIRunner:
    return ComfyUIRunner(server if isinstance(server, str) else server.url, tmp_path / "jobs", timeout_s=5)


def test_a_template_runs_into_a_png_with_the_values_and_the_seed_written_into_the_workflow(
    comfyui: ComfyUIStandIn, txt2img: Template, tmp_path: Path
) -> None:
    reports: list[tuple[float, str]] = []
    run = runner(comfyui, tmp_path).run(txt2img, SMALL, 7, on_progress=lambda p, s: reports.append((p, s)))

    assert set(run.outputs) == {"image"} and run.outputs["image"].name == "image.png"
    with Image.open(run.outputs["image"]) as image:
        assert image.size == (64, 48)
    assert run.prompt["6"]["inputs"]["text"] == "a lighthouse at dawn"
    assert run.prompt["7"]["inputs"]["text"] == "text, watermark, blurry"  # not given: the workflow's own
    assert run.prompt["3"]["inputs"]["seed"] == 7 and run.prompt["3"]["inputs"]["steps"] == 3
    assert run.prompt["5"]["inputs"] == {"width": 64, "height": 48, "batch_size": 1}
    assert comfyui.history[run.prompt_id]["prompt"][2] == run.prompt  # what ComfyUI ran is what we recorded
    assert run.previews == 3 and run.cached_nodes == 0
    assert run.comfyui_version == "0.3.60-standin"
    assert run.job_dir.parent == tmp_path / "jobs"

    percents = [p for p, _ in reports]
    assert percents == sorted(percents) and percents[-1] == 100.0 and all(0 <= p <= 100 for p in percents)
    steps = [s for _, s in reports]
    assert "KSampler (node 3): step 2/3" in steps and "Load Checkpoint (node 4)" in steps


def test_a_history_written_after_execution_success_is_waited_for(
    start_comfyui: Callable[..., ComfyUIStandIn], txt2img: Template, tmp_path: Path
) -> None:
    """ComfyUI announces success from its executor and writes the prompt's history after; a busy one takes a while."""
    server = start_comfyui(history_delay_s=1.0)
    run = runner(server, tmp_path).run(txt2img, SMALL, 5)
    with Image.open(run.outputs["image"]) as image:
        assert image.size == (64, 48)
    assert server.history[run.prompt_id]["prompt"][2] == run.prompt


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_seed_makes_the_take_reproducible_and_unchanged_nodes_come_from_comfyuis_cache(
    comfyui: ComfyUIStandIn, txt2img: Template, tmp_path: Path
) -> None:
    first = runner(comfyui, tmp_path).run(txt2img, SMALL, 11)
    again = runner(comfyui, tmp_path).run(txt2img, SMALL, 11)
    assert again.cached_nodes == len(txt2img.workflow)  # nothing changed since the first run: all cached
    assert again.previews == 0
    other = runner(comfyui, tmp_path).run(txt2img, SMALL, 12)
    assert other.cached_nodes == 4  # the checkpoint, both prompts and the empty latent do not depend on the seed
    assert _sha(first.outputs["image"]) == _sha(again.outputs["image"]) != _sha(other.outputs["image"])


def test_a_media_input_is_uploaded_under_its_content_name(
    comfyui: ComfyUIStandIn, img2img: Template, tmp_path: Path
) -> None:
    start = tmp_path / "start frame.png"
    Image.new("RGB", (40, 30), (10, 200, 30)).save(start)
    run = runner(comfyui, tmp_path).run(img2img, {"image": str(start), "prompt": "dusk", "steps": 2}, 3)

    stored = f"studio-{_sha(start)[:16]}.png"
    assert run.uploads == {"image": stored}
    assert run.prompt["10"]["inputs"]["image"] == stored
    assert (comfyui.root / "input" / stored).read_bytes() == start.read_bytes()
    with Image.open(run.outputs["image"]) as image:
        assert image.size == (40, 30)
    assert ("POST", "/upload/image") in comfyui.requests


def test_a_missing_node_class_is_refused_before_anything_is_uploaded_or_queued(
    start_comfyui: Callable[..., ComfyUIStandIn], img2img: Template, tmp_path: Path
) -> None:
    server = start_comfyui(missing=frozenset({"VAEEncode", "LoadImage"}))
    start = tmp_path / "start.png"
    Image.new("RGB", (8, 8)).save(start)
    with pytest.raises(ComfyUIMissingNodesError) as caught:
        runner(server, tmp_path).run(img2img, {"image": str(start), "prompt": "dusk"}, 3)
    assert caught.value.missing == ["LoadImage", "VAEEncode"]
    assert f"ComfyUI at {server.url} lacks the node class(es) LoadImage, VAEEncode that template 'sd15-img2img'" in (
        caught.value.message
    )
    assert "install the custom nodes that provide them" in caught.value.message
    assert not {("POST", "/upload/image"), ("POST", "/prompt")} & set(server.requests)
    assert not (tmp_path / "jobs").exists() or list((tmp_path / "jobs").iterdir()) == []


def test_a_server_that_is_down_is_a_clear_early_error(txt2img: Template, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ComfyUIUnavailableError) as caught:
        runner(url, tmp_path).run(txt2img, SMALL, 1)
    assert caught.value.message == (
        f"ComfyUI at {url} does not answer (connection refused); start it, or point STUDIO_COMFYUI_URL at a "
        "running ComfyUI."
    )


def test_a_node_failing_while_it_runs_names_the_node_and_its_message(
    comfyui: ComfyUIStandIn, txt2img: Template, tmp_path: Path
) -> None:
    comfyui.executor.fail_classes["VAEDecode"] = "Allocation on device 0 would exceed allowed memory."
    with pytest.raises(ComfyUIWorkflowError) as caught:
        runner(comfyui, tmp_path).run(txt2img, SMALL, 1)
    assert (caught.value.node_id, caught.value.node_class) == ("8", "VAEDecode")
    assert caught.value.message == (
        "ComfyUI failed at node '8' (VAEDecode) of template 'sd15-txt2img': Allocation on device 0 would exceed "
        "allowed memory. (RuntimeError). Fix the workflow or its inputs, then generate again."
    )
    assert list((tmp_path / "jobs").iterdir()) == []  # nothing of a failed run stays


def test_values_comfyui_refuses_are_reported_per_node(
    comfyui: ComfyUIStandIn, txt2img: Template, img2img: Template, tmp_path: Path
) -> None:
    with pytest.raises(ComfyUIWorkflowError) as caught:
        runner(comfyui, tmp_path).run(txt2img, {**SMALL, "steps": 0}, 1)
    assert (caught.value.node_id, caught.value.node_class) == ("3", "KSampler")
    assert "ComfyUI refused template 'sd15-txt2img': node '3' (KSampler): Value 0 smaller than min of 1: steps" in (
        caught.value.message
    )
    with pytest.raises(ComfyUIWorkflowError) as caught:
        runner(comfyui, tmp_path).run(img2img, {"prompt": "dusk"}, 1)  # no start image: the workflow's example.png
    assert "node '10' (LoadImage): Custom validation failed for node: image - Invalid image file: example.png" in (
        caught.value.message
    )


def _run_in_thread(
    run: Callable[[], ComfyUIRun],
) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["run"] = run()
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    return thread, outcome


def test_cancel_mid_run_interrupts_the_prompt(
    start_comfyui: Callable[..., ComfyUIStandIn], txt2img: Template, tmp_path: Path
) -> None:
    server = start_comfyui(step_delay_s=0.2)
    token = CancelToken()
    sampling = threading.Event()
    thread, outcome = _run_in_thread(
        lambda: runner(server, tmp_path).run(
            txt2img, {**SMALL, "steps": 200}, 5, token=token, on_progress=lambda _p, s: "step" in s and sampling.set()
        )
    )
    assert sampling.wait(30), "the sampler never reported a step"
    token.cancel()
    thread.join(30)
    assert isinstance(outcome.get("error"), PipelineCancelledError)
    assert outcome["error"].message == "Template 'sd15-txt2img' was cancelled."
    assert ("POST", "/queue") in server.requests and ("POST", "/interrupt") in server.requests
    entry = _history_when_done(server)
    assert entry["status"]["status_str"] == "error"
    assert [m[0] for m in entry["status"]["messages"]][-1] == "execution_interrupted"


def _history_when_done(server: ComfyUIStandIn) -> dict[str, Any]:
    finished = threading.Event()
    for _ in range(300):
        if server.history:
            finished.set()
            break
        finished.wait(0.1)
    assert server.history, "the interrupted prompt never finished"
    return next(iter(server.history.values()))


def test_cancel_while_queued_removes_the_prompt_and_leaves_the_running_one_alone(
    start_comfyui: Callable[..., ComfyUIStandIn], txt2img: Template, tmp_path: Path
) -> None:
    server = start_comfyui(step_delay_s=0.05)
    other_started = threading.Event()
    other, other_outcome = _run_in_thread(
        lambda: runner(server, tmp_path).run(
            txt2img, {**SMALL, "steps": 40}, 1, on_progress=lambda _p, s: "step" in s and other_started.set()
        )
    )
    assert other_started.wait(30)
    token = CancelToken()
    queued = threading.Event()
    ours, outcome = _run_in_thread(
        lambda: runner(server, tmp_path).run(
            txt2img, {**SMALL, "prompt": "ours"}, 2, token=token, on_progress=lambda *_: queued.set()
        )
    )
    for _ in range(300):
        if server.requests.count(("POST", "/prompt")) == 2:
            break
        queued.wait(0.05)
    token.cancel()
    ours.join(30)
    other.join(60)
    assert isinstance(outcome.get("error"), PipelineCancelledError)
    assert "run" in other_outcome, other_outcome  # the prompt that was running finished, uninterrupted
    assert len(server.history) == 1  # ours never ran
    assert ("POST", "/interrupt") not in server.requests


def test_a_template_that_runs_past_its_timeout_is_interrupted(
    start_comfyui: Callable[..., ComfyUIStandIn], tmp_path: Path
) -> None:
    server = start_comfyui(step_delay_s=0.2)
    template = load_template(copy_seed_template(tmp_path / "templates", timeout_s=1))
    with pytest.raises(PipelineTimeoutError, match="ran longer than its timeout_s of 1 s on ComfyUI"):
        runner(server, tmp_path).run(template, {**SMALL, "steps": 200}, 1)
    assert ("POST", "/interrupt") in server.requests


def test_an_output_of_the_wrong_kind_is_refused(comfyui: ComfyUIStandIn, tmp_path: Path) -> None:
    folder = copy_seed_template(tmp_path / "templates", outputs=[{"name": "image", "type": "Video"}])
    with pytest.raises(ContractViolationError) as caught:
        runner(comfyui, tmp_path).run(load_template(folder), SMALL, 1)
    assert "output 'image' (Video) came as 'studio_00001_.png' from node '9' (SaveImage), which is not a Video" in (
        caught.value.message
    )


def test_unknown_values_and_bad_seeds_are_refused_before_anything_is_sent(
    comfyui: ComfyUIStandIn, txt2img: Template, tmp_path: Path
) -> None:
    with pytest.raises(Exception, match=r"has no input or setting 'strength'; it takes cfg, checkpoint"):
        runner(comfyui, tmp_path).run(txt2img, {"strength": 0.5}, 1)
    with pytest.raises(Exception, match=r"seed -1 is not an integer in \[0, 2\^32\)"):
        runner(comfyui, tmp_path).run(txt2img, SMALL, -1)
    assert ("POST", "/prompt") not in comfyui.requests
