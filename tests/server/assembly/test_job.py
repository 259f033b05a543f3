"""The final render as a job: cancelled mid-encode it stops every ffmpeg (MoviePy's included), leaves no export and
stays cancelled; a render past its time limit fails with a sentence; a finished render run again does nothing; each
render is a new file, listed newest first, the older left as it was."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from sqlmodel import Session

from server.assembly.job import RenderFinalVideo
from server.db.tables import Task, TaskState
from server.media.ffmpeg import ffmpeg_exe
from server.media.probe import probe
from server.projects.git import GitRepo
from tests.server.assembly.media import TakeRepo, sequence_graph
from tests.support.factories import create_project
from tests.support.jobs import ENDINGS, JobStudio, command_of, job_studio, running_children, wait_until

__all__ = ["job_studio"]
LONG_CLIP = 1200  # frames per clip: a composite render of two takes long enough to be caught mid-encode
TITLE = {"text": "THE END", "start_frame": 0, "frames": 24, "position": "center"}  # a title: the filter graph


def _is_ffmpeg(pid: int) -> bool:
    return command_of(pid)[0] == ffmpeg_exe()


def _submit(studio: JobStudio, frames: int, **sequence_data: Any) -> tuple[Path, str]:
    project = create_project(studio.client, studio.user, name=f"Film {uuid.uuid4().hex[:8]}")
    root = studio.repo_root(project)
    repo = TakeRepo(GitRepo(root))
    graph = sequence_graph([repo.add_take(10, "red", frames), repo.add_take(20, "green", frames)], **sequence_data)
    studio.save_graph(project, graph)
    return root, _assemble(studio, project)


def _assemble(studio: JobStudio, project: dict[str, Any]) -> str:
    started = studio.client.post(
        f"/api/v1/projects/{project['id']}/assemble", json={"node_id": "seq"}, headers=studio.user.headers
    )
    assert started.status_code == 202, started.text
    task: dict[str, Any] = started.json()
    assert (task["kind"], task["queue"], task["spec"]["output_path"]) == (
        "tasks.assembly.render_final_video",
        "cpu",
        "06_Exports/seq.mp4",  # the name each render's version is made from
    )
    return str(task["task_id"])


def _progress(studio: JobStudio, task_id: str) -> float:
    return max((p["progress"] for p in studio.events_of(task_id, "server:task_progress")), default=0.0)


def test_a_render_cancelled_mid_encode_kills_ffmpeg_leaves_no_export_and_stays_cancelled(job_studio: JobStudio) -> None:
    root, task_id = _submit(job_studio, LONG_CLIP, titles=[TITLE])
    started = time.monotonic()
    thread = job_studio.start(RenderFinalVideo(job_studio.settings, job_studio.runtime.engine), task_id)
    wait_until(lambda: _progress(job_studio, task_id) >= 20, "the render is encoding")
    projected = (time.monotonic() - started) * 100 / _progress(job_studio, task_id)
    assert running_children(_is_ffmpeg), "the filter graph runs as an ffmpeg process"

    assert job_studio.cancel(task_id)["state"] == "cancelled"
    wait_until(lambda: not running_children(_is_ffmpeg), "every ffmpeg of the render is gone")
    thread.join(timeout=60)
    assert not thread.is_alive()
    # Past the point where the whole render would have finished: nothing came after the cancel.
    time.sleep(max(0.0, started + 1.2 * projected - time.monotonic()))
    assert job_studio.task(task_id)["state"] == "cancelled"
    assert [e for e in ENDINGS if job_studio.events_of(task_id, e)] == []
    assert [p["state"] for p in job_studio.events_of(task_id, "server:node_state_updated")] == ["generating"]
    exports = root / "06_Exports"
    assert [p.name for p in exports.iterdir() if p.name != ".gitkeep"] == [], "no export, half-written or staged"


def test_a_render_past_its_time_limit_fails_with_a_sentence_and_stops(job_studio: JobStudio) -> None:
    root, task_id = _submit(job_studio, LONG_CLIP, titles=[TITLE])
    impatient = RenderFinalVideo(
        job_studio.settings.model_copy(update={"render_timeout_s": 1}), job_studio.runtime.engine
    )
    job_studio.start(impatient, task_id).join(timeout=120)
    task = job_studio.task(task_id)
    message = (
        "The render ran longer than its limit of 1 s (STUDIO_RENDER_TIMEOUT_S) and was stopped; raise the limit or "
        "render a shorter sequence."
    )
    assert (task["state"], task["error"]) == ("failed", message)
    assert [p["error"] for p in job_studio.events_of(task_id, "server:task_failed")] == [message]
    assert running_children(_is_ffmpeg) == []
    assert [p.name for p in (root / "06_Exports").iterdir() if p.name != ".gitkeep"] == []


def test_a_finished_render_delivered_again_does_nothing_and_a_dead_worker_s_runs_again(job_studio: JobStudio) -> None:
    root, task_id = _submit(job_studio, 24)
    render = RenderFinalVideo(job_studio.settings, job_studio.runtime.engine)
    job_studio.start(render, task_id).join(timeout=120)
    done = job_studio.task(task_id)
    assert (done["state"], done["attempts"], done["take_path"]) == ("succeeded", 1, "06_Exports/seq_v001.mp4")
    states = [p["state"] for p in job_studio.events_of(task_id, "server:node_state_updated")]
    assert states == ["generating", "done"]
    [success] = job_studio.events_of(task_id, "server:task_success")
    assert success["result"]["output_url"].endswith("/files/06_Exports/seq_v001.mp4")
    published = len(job_studio.sink.published)

    job_studio.start(render, task_id).join(timeout=120)  # Celery delivers it again: nothing happens
    assert len(job_studio.sink.published) == published
    assert job_studio.task(task_id)["attempts"] == 1

    _, orphan = _submit(job_studio, 24)
    with Session(job_studio.runtime.engine) as session:  # its worker claimed it, then died
        task = session.get(Task, orphan)
        assert task is not None
        task.state, task.attempts = TaskState.RUNNING, 1
        session.add(task)
        session.commit()
    job_studio.start(render, orphan).join(timeout=120)
    assert (job_studio.task(orphan)["state"], job_studio.task(orphan)["attempts"]) == ("succeeded", 2)
    assert (root / "06_Exports/seq_v001.mp4").is_file()


def test_each_render_is_a_new_file_listed_newest_first_and_the_older_one_stays_as_it_was(
    job_studio: JobStudio,
) -> None:
    project = create_project(job_studio.client, job_studio.user, name=f"Film {uuid.uuid4().hex[:8]}")
    root = job_studio.repo_root(project)
    repo = TakeRepo(GitRepo(root))
    takes = [repo.add_take(10, "red", 24), repo.add_take(20, "green", 24)]
    render = RenderFinalVideo(job_studio.settings, job_studio.runtime.engine)
    job_studio.save_graph(project, sequence_graph(takes))
    first = _assemble(job_studio, project)
    job_studio.start(render, first).join(timeout=120)
    older = root / "06_Exports/seq_v001.mp4"
    kept = older.read_bytes()
    trimmed = {"timeline": [{"node_id": "shot-0", "trim_in": 6}, {"node_id": "shot-1"}], "conform": "blend"}
    job_studio.save_graph({**project, "version": 2}, sequence_graph(takes, **trimmed, titles=[TITLE]))
    second = _assemble(job_studio, project)
    job_studio.start(render, second).join(timeout=120)

    assert job_studio.task(second)["take_path"] == "06_Exports/seq_v002.mp4"
    assert older.read_bytes() == kept, "the earlier render is left as it was"
    assert probe(older).frames == 48 and probe(root / "06_Exports/seq_v002.mp4").frames == 42
    listed = job_studio.client.get(
        f"/api/v1/projects/{project['id']}/nodes/seq/renders", headers=job_studio.user.headers
    )
    assert listed.status_code == 200, listed.text
    settings = {"sequence_node_id": "seq", "clips": 2, "transitions": 0, "width": 64, "height": 48}
    assert [(r["path"], r["task_id"], r["frames"], r["duration_s"], r["settings"]) for r in listed.json()] == [
        ("06_Exports/seq_v002.mp4", second, 42, 1.75, {**settings, "titles": 1, "conform": "blend"}),
        ("06_Exports/seq_v001.mp4", first, 48, 2.0, {**settings, "titles": 0, "conform": "duplicate_drop"}),
    ]
    announced = job_studio.sink.named("server:renders_updated")[-1]
    assert [r["path"] for r in announced["renders"]] == [
        "06_Exports/seq_v002.mp4",
        "06_Exports/seq_v001.mp4",
    ]


def test_a_take_gone_before_the_render_ran_fails_it_with_a_sentence(job_studio: JobStudio) -> None:
    root, task_id = _submit(job_studio, 24)
    gone = next((root / "03_Renders/SCENE_01/SHOT_020").glob("*.mp4"))
    gone.unlink()
    job_studio.start(RenderFinalVideo(job_studio.settings, job_studio.runtime.engine), task_id).join(timeout=120)
    task = job_studio.task(task_id)
    assert task["state"] == "failed"
    assert task["error"] == f"The media file '{gone.name}' is missing; restore it or choose another take."
    assert [p["state"] for p in job_studio.events_of(task_id, "server:node_state_updated")] == ["generating", "failed"]


def test_a_task_cancelled_while_queued_never_runs(job_studio: JobStudio) -> None:
    root, task_id = _submit(job_studio, 24)
    job_studio.cancel(task_id)
    job_studio.start(RenderFinalVideo(job_studio.settings, job_studio.runtime.engine), task_id).join(timeout=60)
    assert job_studio.task(task_id)["state"] == "cancelled"
    assert job_studio.events_of(task_id, "server:node_state_updated") == []
    assert [p.name for p in (root / "06_Exports").iterdir() if p.name != ".gitkeep"] == []
