"""Liveness and readiness, as JSON for machines (see the package docstring)."""
from __future__ import annotations

from flask import jsonify
from sqlalchemy.exc import SQLAlchemyError

from cop.extensions import db, limiter
from cop.health import checks
from cop.health.blueprint import bp


@bp.route("/live")
@limiter.exempt
def live():
    return jsonify(status="ok")


@bp.route("/ready")
@limiter.exempt
def ready():
    report = {}
    try:
        report["database"] = checks.database()
        report["migrations"] = checks.migrations()
        report["email_queue_oldest_seconds"] = checks.email_queue()
        if report["migrations"].ok:  # the table is there
            report["jobs_last_success"] = checks.jobs_last_success()
    except SQLAlchemyError as error:
        db.session.rollback()
        report["database"] = checks.Check(False, type(error).__name__)
    redis = checks.redis()
    if redis is not None:
        report["redis"] = redis
    ready = all(check.ok for check in report.values())
    body = {"status": "ok" if ready else "unavailable",
            "checks": {name: {"ok": check.ok, "detail": check.detail}
                       for name, check in report.items()}}
    return jsonify(body), 200 if ready else 503
