"""Everything cop.ops plugs into the app: each request's id and timing, the JSON logs
(LOG_FORMAT), the request metrics and `/metrics` (METRICS_TOKEN, METRICS_ALLOW_LOOPBACK)."""
from __future__ import annotations

import logging

from flask import Flask

from cop.ops import (
    logs,
    metrics,
    tracking,
    views,  # noqa: F401  (its routes attach to bp on import)
)
from cop.ops.blueprint import bp

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    logs.init_app(app)
    json_logs = str(app.config.get("LOG_FORMAT") or "text").lower() == "json"
    tracking.init_app(app, count_statements=json_logs or metrics.enabled(app.config))
    metrics.init_app(app)
    app.register_blueprint(bp)
    if app.config.get("METRICS_ALLOW_LOOPBACK") and not app.config.get("PROXY_FIX_HOPS"):
        log.warning("METRICS_ALLOW_LOOPBACK without PROXY_FIX_HOPS: behind a proxy, set "
                    "PROXY_FIX_HOPS, or every request would seem to come from loopback "
                    "(those carrying X-Forwarded-For are refused /metrics meanwhile)")
