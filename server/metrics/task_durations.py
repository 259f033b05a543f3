"""Task and step durations, observed by the job lifecycle in whichever worker (on whichever host) ran the task, kept
as histogram counters in Redis and read by the server at scrape time.

Redis rather than prometheus_client's multiprocess mode: that mode shares a directory between the processes of one
host, while workers run on other hosts (stateless mode) and come and go; Redis is what they all reach already."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

import redis

KEY = "studio:metrics:durations"
# Seconds: a CPU card takes a second, a GPU video minutes, a LoRA training hours.
BUCKETS_S = (0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 7200.0, math.inf)


class Step(StrEnum):
    """The steps of every job's life, whatever its kind (pipeline progress steps are free text: no labels)."""

    QUEUED = "queued"  # submitted until a worker claimed it
    RUNNING = "running"  # claimed until it ended
    TOTAL = "total"  # submitted until it ended: the task's duration


@dataclass
class Series:
    """One label set's histogram: counts per bucket (not cumulative), their sum and count."""

    counts: list[int] = field(default_factory=lambda: [0] * len(BUCKETS_S))
    total: float = 0.0
    count: int = 0

    def cumulative(self) -> list[tuple[str, float]]:
        running, out = 0, []
        for bound, count in zip(BUCKETS_S, self.counts, strict=True):
            running += count
            out.append(("+Inf" if math.isinf(bound) else repr(bound), float(running)))
        return out


def _bucket(seconds: float) -> int:
    return next(i for i, bound in enumerate(BUCKETS_S) if seconds <= bound)


class TaskDurations:
    """`observe` from a worker, `read` from the server; a hash field per (series, bucket), incremented atomically."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    @classmethod
    def from_url(cls, redis_url: str) -> TaskDurations:
        return cls(redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2))

    def observe(self, kind: str, outcome: str, queued_s: float, running_s: float) -> None:
        """A task that ended (`outcome`: its final state) after waiting `queued_s` and running `running_s`."""
        pipe = self.client.pipeline()  # one round trip, applied together
        for step, seconds in ((Step.QUEUED, queued_s), (Step.RUNNING, running_s), (Step.TOTAL, queued_s + running_s)):
            series = json.dumps([kind, step.value, outcome])
            seconds = max(seconds, 0.0)  # clocks of two hosts may disagree a little on the queued time
            pipe.hincrby(KEY, f"{series}|{_bucket(seconds)}", 1)
            pipe.hincrbyfloat(KEY, f"{series}|sum", seconds)
            pipe.hincrby(KEY, f"{series}|count", 1)
        pipe.execute()

    def read(self) -> dict[tuple[str, str, str], Series]:
        """(kind, step, outcome) → its histogram."""
        found: dict[tuple[str, str, str], Series] = defaultdict(Series)
        for raw_field, raw_value in self.client.hgetall(KEY).items():
            text = raw_field if isinstance(raw_field, str) else raw_field.decode()
            series_json, part = text.rsplit("|", 1)
            kind, step, outcome = json.loads(series_json)
            series = found[(kind, step, outcome)]
            if part == "sum":
                series.total = float(raw_value)
            elif part == "count":
                series.count = int(raw_value)
            else:
                series.counts[int(part)] = int(raw_value)
        return dict(found)
