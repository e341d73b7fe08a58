"""Liveness and readiness: JSON a load balancer reads, 503 with the reason when the server
should not take requests (schema behind the migrations, Redis down), the email queue's age."""
from __future__ import annotations

from datetime import timedelta

import pytest
import redis
from sqlalchemy import text

from cop.database import utcnow
from cop.extensions import db
from cop.notifications.models import Notification


def test_live_answers_without_touching_anything(client, count_queries):
    with count_queries() as statements:
        response = client.get("/health/live")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert statements == []


def test_ready_reports_each_check(client):
    response = client.get("/health/ready")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["migrations"]["ok"] is True
    assert body["checks"]["email_queue_oldest_seconds"] == {"ok": True, "detail": 0}
    assert "redis" not in body["checks"]  # limits kept in memory here: nothing to reach


def test_ready_is_503_when_the_schema_is_behind_the_migrations(app, client):
    with app.app_context():  # as if `flask db upgrade` had not been run after an update
        db.session.execute(text("UPDATE alembic_version SET version_num = '0011'"))
        db.session.commit()
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"]["migrations"] == {"ok": False, "detail": "0011"}


def test_ready_tells_how_old_the_oldest_waiting_email_is(app, client, world):
    with app.app_context():
        for minutes in (3, 45):
            db.session.add(Notification(user_id=world.member.id, kind="reply",
                                        subject_type="thread", subject_id=1,
                                        email_pending=True,
                                        created_at=utcnow() - timedelta(minutes=minutes)))
        db.session.commit()
    detail = client.get("/health/ready").get_json()["checks"]["email_queue_oldest_seconds"]
    assert detail["ok"] is True and 45 * 60 <= detail["detail"] < 46 * 60


def test_ready_is_503_when_redis_does_not_answer(make_app):
    app = make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")  # nothing listens on port 1
    response = app.test_client().get("/health/ready")
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis"] == {"ok": False, "detail": "ConnectionError"}


def test_ready_checks_the_redis_that_keeps_the_limits(make_app):
    url = "redis://127.0.0.1:6379/0"  # CI starts it for the PostgreSQL run
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    response = make_app(RATELIMIT_STORAGE_URI=url).test_client().get("/health/ready")
    assert response.status_code == 200
    assert response.get_json()["checks"]["redis"] == {"ok": True, "detail": None}
