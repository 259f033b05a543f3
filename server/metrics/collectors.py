"""What the server reads when Prometheus scrapes: tasks by state and kind (the database), queue depths and live
workers' VRAM (Redis), task and step durations (reported by workers through Redis), open sockets. A source that
does not answer is reported down (studio_metrics_source_up 0) and the scrape still succeeds."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import redis
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from server.db.tables import Task, TaskState
from server.dispatch.capabilities import COMFYUI_QUEUE, CPU_QUEUE, VRAM_TIERS_GB, gpu_queue
from server.dispatch.registry import WorkerRecord, WorkerRegistry
from server.metrics.task_durations import Step, TaskDurations

log = logging.getLogger(__name__)
GIB = 2**30
FIXED_QUEUES = (*(gpu_queue(tier) for tier in VRAM_TIERS_GB), CPU_QUEUE, COMFYUI_QUEUE)


class ScrapeCollector(Collector):
    def __init__(
        self, engine: Engine, redis_url: str | None, kinds: Iterable[str], open_sockets: Callable[[], int]
    ) -> None:
        self.engine = engine
        self.redis_url = redis_url
        self.kinds = tuple(kinds)
        self.open_sockets = open_sockets

    def collect(self) -> Iterator[Any]:
        up = GaugeMetricFamily(
            "studio_metrics_source_up", "1 when the source answered this scrape, 0 when not.", labels=["source"]
        )
        try:
            yield self._tasks()
            up.add_metric(["database"], 1)
        except Exception:  # any driver error: the scrape goes on without it
            log.warning("metrics: the database did not answer", exc_info=True)
            up.add_metric(["database"], 0)
        if self.redis_url is not None:
            client = redis.Redis.from_url(self.redis_url, socket_timeout=2, socket_connect_timeout=2)
            try:
                workers = WorkerRegistry(client).live()
                yield self._queue_depths(client, workers)
                yield from self._vram(workers)
                yield from self._durations(TaskDurations(client))
                up.add_metric(["redis"], 1)
            except (redis.RedisError, OSError):
                log.warning("metrics: Redis did not answer", exc_info=True)
                up.add_metric(["redis"], 0)
            finally:
                client.close()
        sockets = GaugeMetricFamily("studio_socket_connections", "Open Socket.IO connections to this server.")
        sockets.add_metric([], self.open_sockets())
        yield sockets
        yield up

    def _tasks(self) -> GaugeMetricFamily:
        counts = dict.fromkeys(((kind, state.value) for kind in self.kinds for state in TaskState), 0)
        with Session(self.engine) as session:
            rows = session.exec(select(Task.kind, Task.state, func.count()).group_by(col(Task.kind), col(Task.state)))
            for kind, state, count in rows:
                counts[(kind, TaskState(state).value)] = count
        family = GaugeMetricFamily(
            "studio_tasks", "Tasks by state and kind (every task the database holds).", labels=["kind", "state"]
        )
        for (kind, state), count in sorted(counts.items()):
            family.add_metric([kind, state], count)
        return family

    @staticmethod
    def _queue_depths(client: redis.Redis, workers: list[WorkerRecord]) -> GaugeMetricFamily:
        family = GaugeMetricFamily(
            "studio_queue_depth", "Tasks waiting in each Celery queue (not yet taken by a worker).", labels=["queue"]
        )
        queues = sorted({*FIXED_QUEUES, *(queue for worker in workers for queue in worker.queues)})
        pipe = client.pipeline()
        for queue in queues:
            pipe.llen(queue)  # Celery's Redis transport keeps each queue as a list named after it
        for queue, depth in zip(queues, pipe.execute(), strict=True):
            family.add_metric([queue], depth)
        return family

    @staticmethod
    def _vram(workers: list[WorkerRecord]) -> Iterator[GaugeMetricFamily]:
        labels = ["worker", "host", "gpu", "name"]
        total = GaugeMetricFamily(
            "studio_worker_gpu_vram_total_bytes", "VRAM of each live worker's GPU.", labels=labels
        )
        free = GaugeMetricFamily(
            "studio_worker_gpu_vram_free_bytes", "Free VRAM of each GPU at its worker's last heartbeat.", labels=labels
        )
        for worker in workers:
            for gpu in worker.gpus:
                values = [worker.worker_id, worker.host, str(gpu.index), gpu.name]
                total.add_metric(values, gpu.total_vram_gb * GIB)
                free.add_metric(values, gpu.free_vram_gb * GIB)
        live = GaugeMetricFamily("studio_workers", "Workers whose heartbeat is current.")
        live.add_metric([], len(workers))
        yield from (total, free, live)

    @staticmethod
    def _durations(durations: TaskDurations) -> Iterator[HistogramMetricFamily]:
        task = HistogramMetricFamily(
            "studio_task_duration_seconds",
            "Submission to end of each finished task, by kind and final state.",
            labels=["kind", "outcome"],
        )
        step = HistogramMetricFamily(
            "studio_task_step_duration_seconds",
            "Time finished tasks spent in each step (queued, running), by kind and final state.",
            labels=["kind", "step", "outcome"],
        )
        for (kind, step_name, outcome), series in sorted(durations.read().items()):
            if step_name == Step.TOTAL:
                task.add_metric([kind, outcome], series.cumulative(), series.total)
            else:
                step.add_metric([kind, step_name, outcome], series.cumulative(), series.total)
        yield from (task, step)
