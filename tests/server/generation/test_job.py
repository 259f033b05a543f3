"""Generation as a job, run by the lifecycle in this process: its spec holds the plan and placement decided at
start, its take comes with typed events and its job folder goes, and a cancel kills the pipeline's process for good."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from server.generation.job import GenerateShot
from server.generation.runtime import PipelineRunners
from tests.server.generation.conftest import shot_graph
from tests.support.factories import create_project
from tests.support.jobs import ENDINGS, TEST_PIPELINES, JobStudio, job_studio, running_children, wait_until

__all__ = ["job_studio"]


def _submit(studio: JobStudio, graph: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    project = create_project(studio.client, studio.user, quality="low")
    studio.save_graph(project, graph)
    started = studio.client.post(
        "/api/v1/tasks/generate_shot",
        json={"project_id": project["id"], "node_id": "shot"},
        headers=studio.user.headers,
    )
    assert started.status_code == 202, started.text
    task: dict[str, Any] = started.json()
    return project, task


def _job(studio: JobStudio) -> GenerateShot:
    return GenerateShot(studio.settings, PipelineRunners(studio.settings), "cpu")


def _is_slow_pipeline(pid: int) -> bool:
    return Path(f"/proc/{pid}/cwd").resolve() == TEST_PIPELINES / "test-slow"


def test_the_spec_holds_plan_and_placement_and_the_take_comes_with_typed_events(job_studio: JobStudio) -> None:
    _, task = _submit(job_studio, shot_graph("cpu-storyboard", task_type="generate-image", label="opening"))
    spec = task["spec"]
    assert (task["kind"], task["queue"]) == ("tasks.shots.generate", "cpu")
    assert (spec["placement"]["pipeline_id"], spec["placement"]["queue"], spec["placement"]["vram_gb"]) == (
        "cpu-storyboard",
        "cpu",
        0.0,
    )
    [step] = spec["steps"]
    # The params the pipeline takes, decided at start: the node's own settings are left out, the framing added.
    assert (step["node_id"], step["params"]["aspect_ratio"], "label" in step["params"]) == ("shot", "16:9", False)
    assert spec["slots"] == {"shot": {"scene": "SCENE_01", "shot_id": "SHOT-010", "version": 1}}

    job_studio.start(_job(job_studio), task["task_id"]).join(timeout=120)
    done = job_studio.task(task["task_id"])
    take_path = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.png"
    assert (done["state"], done["take_path"]) == ("succeeded", take_path)
    [takes] = job_studio.sink.named("server:takes_updated")
    assert [t["path"] for t in takes["takes"]] == [take_path]
    [success] = job_studio.events_of(task["task_id"], "server:task_success")
    assert success["result"]["take"] == takes["takes"][0]
    assert success["result"]["take"]["pipeline"] == "cpu-storyboard"
    assert list(job_studio.settings.jobs_dir.iterdir()) == [], "the job folder goes once the take is committed"


def test_a_cancelled_generation_kills_its_pipeline_and_stays_cancelled(job_studio: JobStudio) -> None:
    project, task = _submit(job_studio, shot_graph("test-slow", seconds=6))
    task_id = task["task_id"]
    started = time.monotonic()
    thread = job_studio.start(_job(job_studio), task_id)
    wait_until(lambda: bool(job_studio.events_of(task_id, "server:task_progress")), "the pipeline reports progress")
    assert len(running_children(_is_slow_pipeline)) == 1

    assert job_studio.cancel(task_id)["state"] == "cancelled"
    wait_until(lambda: not running_children(_is_slow_pipeline), "the pipeline's process is gone")
    thread.join(timeout=60)
    assert not thread.is_alive()
    time.sleep(max(0.0, started + 8 - time.monotonic()))  # past the 6 s the pipeline would have taken
    assert job_studio.task(task_id)["state"] == "cancelled"
    assert [e for e in ENDINGS if job_studio.events_of(task_id, e)] == []
    assert [p["state"] for p in job_studio.events_of(task_id, "server:node_state_updated")] == ["generating"]
    assert not (job_studio.repo_root(project) / "03_Renders/SCENE_01/SHOT_010").exists()
    assert list(job_studio.settings.jobs_dir.iterdir()) == [], "the cancelled run's job folder is gone too"
