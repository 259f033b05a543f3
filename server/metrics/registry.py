"""The metrics of one server process: its own counters (HTTP latency, git/LFS bytes) and the scrape-time collector,
in a registry of their own (not the process-global one: each app, e.g. each test's, counts for itself)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from sqlalchemy import Engine

from server.metrics.collectors import ScrapeCollector

# Seconds: most API calls take milliseconds; git pushes and uploads stream for minutes.
HTTP_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0)


class StudioMetrics:
    def __init__(
        self, engine: Engine, redis_url: str | None, kinds: Iterable[str], open_sockets: Callable[[], int]
    ) -> None:
        self.registry = CollectorRegistry(auto_describe=False)  # no scrape at registration
        self.http_latency = Histogram(
            "studio_http_request_duration_seconds",
            "HTTP requests by method, route template (not the raw path) and status.",
            ["method", "route", "status"],
            buckets=HTTP_BUCKETS_S,
            registry=self.registry,
        )
        self.git_bytes = Counter(
            "studio_git_transfer_bytes",
            "Bytes of git smart HTTP and Git LFS bodies through this server, in (pushes, uploads) and out.",
            ["protocol", "direction"],
            registry=self.registry,
        )
        self.scrape = ScrapeCollector(engine, redis_url, kinds, open_sockets)
        self.registry.register(self.scrape)

    def render(self) -> bytes:
        return generate_latest(self.registry)
