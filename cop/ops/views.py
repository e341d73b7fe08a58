"""`/metrics` for Prometheus: 404 to anybody else, as for an address that does not exist."""
from __future__ import annotations

from flask import Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST

from cop.extensions import db, limiter
from cop.ops import metrics, queries
from cop.ops.blueprint import bp


@bp.route("/metrics", endpoint="metrics")
@limiter.exempt
def prometheus():
    if not metrics.allowed(request, current_app.config):
        abort(404)
    depth, oldest = db.session.execute(queries.email_queue()).one()
    runs = list(db.session.scalars(queries.job_runs()))
    body = metrics.exposition(metrics.Snapshot(depth, oldest, runs))
    return Response(body, headers={"Content-Type": CONTENT_TYPE_LATEST,
                                   "Cache-Control": "no-store"})
