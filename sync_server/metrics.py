"""Prometheus metrics at ``/api/metrics``: requests and latencies by route template, sync
traffic, quarantine size and devices seen in the last hour.

Labels are route templates (``/api/v1/admin/households/{household_id}``) or a mount
(``/console/*``), never raw paths or anything from a request body: no family data, no
token, and a bounded number of series. Each app has its own registry, so several apps in
one process (the tests) do not share counters.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import timedelta

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .clock import iso, utcnow
from .db import Store, schema_version

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class ServerMetrics:
    """The server's counters and the collector that reads gauges from the database."""

    def __init__(self, store: Store) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "phonebank_http_requests",
            "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "phonebank_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template",
            ["method", "route"],
            registry=self.registry,
        )
        self.pushes = Counter(
            "phonebank_sync_pushes", "Push requests from devices", registry=self.registry
        )
        self.pushed_events = Counter(
            "phonebank_sync_pushed_events",
            "Events received in pushes, by what the server did with them",
            ["status"],
            registry=self.registry,
        )
        self.seq_gaps = Counter(
            "phonebank_sync_seq_gaps",
            "Pushes refused with a seq gap (409): the device resends",
            registry=self.registry,
        )
        self.pulls = Counter(
            "phonebank_sync_pulls",
            "Pull pages sent to devices; reset=true is a full snapshot",
            ["reset"],
            registry=self.registry,
        )
        self.registry.register(DatabaseGauges(store))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class DatabaseGauges(Collector):
    """Figures read from the database at each scrape (cheap, indexed queries)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def collect(self) -> Iterable[Metric]:
        hour_ago = iso(utcnow() - timedelta(hours=1))
        with self.store.reading() as db:
            quarantined = db.execute(
                "SELECT count(*) FROM events WHERE quarantined = 1 AND quarantine_status = 'open'"
            ).fetchone()[0]
            devices = db.execute(
                "SELECT count(*) FROM devices WHERE last_seen_at >= ? AND revoked_at IS NULL",
                [hour_ago],
            ).fetchone()[0]
            version = schema_version(db)
        yield GaugeMetricFamily(
            "phonebank_quarantine_open",
            "Quarantined events waiting for a supervisor",
            value=quarantined,
        )
        yield GaugeMetricFamily(
            "phonebank_devices_seen_last_hour",
            "Devices that synced in the last hour",
            value=devices,
        )
        yield GaugeMetricFamily(
            "phonebank_schema_version", "The database's schema version", value=version
        )


def route_template(scope: Scope, root_path: str) -> str:
    """The template of the route that answered ``scope`` (read after it did, from what
    the router left in the scope); a mounted app (the console, /app, the offline app's
    files, and whatever no route took) counts as one route."""
    mounted = scope.get("root_path", "")[len(root_path) :]
    if mounted:
        return f"{mounted}/*"
    path = getattr(scope.get("route"), "path", None)
    return str(path) if path else "/*"


class RequestMetrics:
    """Counts and times every HTTP request by its route template."""

    def __init__(self, app: ASGIApp, *, metrics: ServerMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        root_path = scope.get("root_path", "")
        status = 500  # what the client gets if the app raises before answering

        async def send_counted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_counted)
        finally:
            method, route = scope["method"], route_template(scope, root_path)
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)
