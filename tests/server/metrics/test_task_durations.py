"""Task durations reported through Redis: what workers observe is what the server's histograms show."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from server.metrics.task_durations import BUCKETS_S, Step, TaskDurations
from server.system.embedded_redis import EmbeddedRedis


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    with EmbeddedRedis(tmp_path / "redis") as redis_server:
        yield redis_server.url


@pytest.fixture
def durations(redis_url: str) -> Iterator[TaskDurations]:
    reporter = TaskDurations.from_url(redis_url)
    yield reporter
    reporter.client.close()


def test_observations_from_two_reporters_add_up_per_kind_step_and_outcome(
    durations: TaskDurations, redis_url: str
) -> None:
    other_worker = TaskDurations.from_url(redis_url)  # another worker process, perhaps on another host
    durations.observe("tasks.shots.generate", "succeeded", queued_s=0.2, running_s=3.0)
    other_worker.observe("tasks.shots.generate", "succeeded", queued_s=40.0, running_s=700.0)
    durations.observe("tasks.shots.generate", "failed", queued_s=0.1, running_s=0.3)
    other_worker.client.close()

    read = durations.read()

    running = read[("tasks.shots.generate", Step.RUNNING, "succeeded")]
    assert running.count == 2 and running.total == pytest.approx(703.0)
    cumulative = dict(running.cumulative())
    assert cumulative["2.5"] == 0 and cumulative["5.0"] == 1 and cumulative["600.0"] == 1
    assert cumulative["1800.0"] == 2 and cumulative["+Inf"] == 2
    total = read[("tasks.shots.generate", Step.TOTAL, "succeeded")]
    assert total.total == pytest.approx(743.2)
    queued = read[("tasks.shots.generate", Step.QUEUED, "succeeded")]
    assert dict(queued.cumulative())["0.5"] == 1 and dict(queued.cumulative())["60.0"] == 2
    failed = read[("tasks.shots.generate", Step.TOTAL, "failed")]
    assert failed.count == 1 and dict(failed.cumulative())["0.5"] == 1
    assert len(running.cumulative()) == len(BUCKETS_S)


def test_a_clock_skewed_negative_wait_counts_as_zero(durations: TaskDurations) -> None:
    durations.observe("tasks.assembly.render_final_video", "succeeded", queued_s=-1.5, running_s=2.0)
    queued = durations.read()[("tasks.assembly.render_final_video", Step.QUEUED, "succeeded")]
    assert queued.total == 0.0 and dict(queued.cumulative())["0.5"] == 1
