"""The readiness checks, each answering (ok, detail)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import redis as redis_client
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import func, select, text

from cop.database import utcnow
from cop.extensions import db
from cop.notifications.models import Notification

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str | int | None = None


def database() -> Check:
    db.session.execute(text("SELECT 1"))
    return Check(True)


def migrations() -> Check:
    """The schema's recorded revision is the newest migration (`flask db upgrade` was run)."""
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    current = MigrationContext.configure(db.session.connection()).get_current_revision()
    return Check(current == head, current or "none")


def redis() -> Check | None:
    """Only when rate limits are kept in Redis (the production setting)."""
    url = current_app.config.get("RATELIMIT_STORAGE_URI", "")
    if not url.startswith(("redis://", "rediss://")):
        return None
    try:
        redis_client.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping()
    except redis_client.RedisError as error:
        return Check(False, type(error).__name__)
    return Check(True)


def email_queue() -> Check:
    """How old, in seconds, the oldest notification email waiting for the worker is. Reported,
    not judged: a queue that only grows shows in the metrics, not as a server to take out."""
    oldest = db.session.scalar(
        select(func.min(Notification.created_at)).where(Notification.email_pending.is_(True)))
    if oldest is None:
        return Check(True, 0)
    return Check(True, int((utcnow() - oldest).total_seconds()))
