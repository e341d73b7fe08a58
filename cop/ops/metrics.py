"""Prometheus metrics, served at `/metrics` (views.py) to whoever may read them.

Measured in each process, per request: its duration by Flask endpoint (never the address:
the labels stay few; an address that matched no route counts under the status code, "404"),
method and status class; and the SQL statements it ran, by endpoint. Computed from the
database when scraped (so every app server tells the same): the notification emails waiting
for the worker and the age of the oldest, the worker's last pass, and when each scheduled
command last succeeded and failed (`job_runs`).

Several gunicorn workers: with PROMETHEUS_MULTIPROC_DIR in the environment before the process
starts (prometheus_client reads it when first imported), each worker writes its measures to
files there and a scrape, whichever worker answers it, adds them up
(`multiprocess.MultiProcessCollector`). The directory must be emptied before gunicorn starts
and gunicorn's `child_exit` hook must call `multiprocess.mark_process_dead(worker.pid)`.
"""
from __future__ import annotations

import hmac
import ipaddress
import os
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, Request, request
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from cop.database import utcnow
from cop.ops import tracking
from cop.ops.models import EMAIL_WORKER

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
disable_created_metrics()  # no `_created` series: half the text, nothing we read

REQUEST_SECONDS = Histogram(
    "cop_http_request_duration_seconds",
    "Time to answer a request, by Flask endpoint (no route: the status code), method and "
    "status class.",
    ["endpoint", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
REQUEST_STATEMENTS = Histogram(
    "cop_http_request_sql_statements",
    "SQL statements a request ran, by Flask endpoint.",
    ["endpoint"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200, 500),
)


def enabled(config) -> bool:
    """Measured only when somebody may read the measures."""
    return bool(config.get("METRICS_TOKEN") or config.get("METRICS_ALLOW_LOOPBACK"))


def init_app(app: Flask) -> None:
    if not enabled(app.config):
        return

    @app.after_request
    def _measure(response):
        endpoint = request.endpoint or str(getattr(request.routing_exception, "code", 404))
        method = request.method if request.method in METHODS else "other"
        seconds = tracking.elapsed_seconds()
        if seconds is not None:
            REQUEST_SECONDS.labels(endpoint, method, f"{response.status_code // 100}xx") \
                .observe(seconds)
        REQUEST_STATEMENTS.labels(endpoint).observe(tracking.statements())
        return response


def allowed(req: Request, config) -> bool:
    """The bearer of METRICS_TOKEN; with METRICS_ALLOW_LOOPBACK, a request from the machine
    itself. Its address is the one ProxyFix found (PROXY_FIX_HOPS): behind nginx without
    ProxyFix every request would come from loopback, so one that came through a proxy
    (X-Forwarded-For) is not taken for local then."""
    token = config.get("METRICS_TOKEN")
    if token:
        scheme, _, given = req.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(),
                                                              str(token).encode()):
            return True
    if not config.get("METRICS_ALLOW_LOOPBACK"):
        return False
    if not config.get("PROXY_FIX_HOPS") and "X-Forwarded-For" in req.headers:
        return False
    try:
        return ipaddress.ip_address(req.remote_addr or "").is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Snapshot:
    """What the database says at the moment of the scrape."""
    queue_depth: int
    oldest_waiting: datetime | None
    runs: list  # of JobRun


def exposition(snapshot: Snapshot) -> bytes:
    """The text Prometheus reads: this process's measures (or, in multiprocess mode, every
    worker's, added up) and the database's figures."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get(MULTIPROCESS_ENV):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(_Database(snapshot))
    return generate_latest(registry)


class _ThisProcess:
    def collect(self):
        return REGISTRY.collect()


class _Database:
    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot

    def collect(self):
        now = utcnow()
        snap = self.snapshot
        yield GaugeMetricFamily("cop_email_queue_depth",
                                "Notification emails waiting for the worker.",
                                value=snap.queue_depth)
        age = 0.0 if snap.oldest_waiting is None else (now - snap.oldest_waiting).total_seconds()
        yield GaugeMetricFamily("cop_email_queue_oldest_age_seconds",
                                "Age of the oldest notification email waiting for the worker "
                                "(0: none waits).", value=max(age, 0.0))
        worker = next((r for r in snap.runs if r.name == EMAIL_WORKER), None)
        if worker is not None:
            yield GaugeMetricFamily("cop_email_worker_last_pass_timestamp_seconds",
                                    "When the email worker last finished a pass (Unix time).",
                                    value=worker.updated_at.timestamp())
        success = GaugeMetricFamily("cop_job_last_success_timestamp_seconds",
                                    "When each scheduled command last succeeded (Unix time).",
                                    labels=["job"])
        failure = GaugeMetricFamily("cop_job_last_failure_timestamp_seconds",
                                    "When each scheduled command last failed (Unix time).",
                                    labels=["job"])
        for run in snap.runs:
            if run.last_success_at:
                success.add_metric([run.name], run.last_success_at.timestamp())
            if run.last_failure_at:
                failure.add_metric([run.name], run.last_failure_at.timestamp())
        yield success
        yield failure

