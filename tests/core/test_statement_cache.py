"""Every statement of the busiest pages and of a reply is one SQLAlchemy can cache. One it
cannot (no cache key: the dialects' INSERT ... ON CONFLICT of SQLAlchemy 2.0 was such) is
compiled again at every execution, about a millisecond each; `cop.database.on_conflict`
writes those so that they are cached."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine.interfaces import CacheStats

from cop.database import on_conflict
from cop.extensions import db
from cop.notifications.models import Subscription
from tests.conftest import recorded
from tests.notifications.helpers import new_thread, tell_followers, thread_url


def not_cached(app):
    """The SQL of the statements compiled without a cache key meanwhile."""
    return recorded(app, lambda statement, parameters, context: statement
                    if context.compiled is not None
                    and context.cache_hit is CacheStats.NO_CACHE_KEY else None)


@pytest.fixture
def app(make_app):
    return make_app(NOTIFICATION_EMAIL_WORKER=True)  # a reply's followers told by the worker


def test_a_reply_the_worker_and_the_pages_around_it_run_only_cached_statements(
        app, world, client):
    thread_id, _ = new_thread(app, world.reserved, world.member)
    tell_followers(app)
    page = thread_url(world.reserved, thread_id)
    client.login(world.coordinator.email)
    with not_cached(app) as found:
        for body in ("Prima risposta.", "Seconda risposta."):
            assert client.post(page + "/rispondi", {"body": body}).status_code == 302
        assert tell_followers(app) == 2
        for url in (page, "/", "/notifiche/", f"/spazi/{world.reserved.slug}/",
                    f"/spazi/{world.reserved.slug}/discussioni/", "/discussioni"):
            assert client.get(url).status_code == 200, url
    assert found == []


def test_on_conflict_statements_share_a_cache_key_exactly_when_their_sql_is_the_same(app):
    with app.app_context():
        def key(row, keys, update=None):
            return on_conflict(db.session, Subscription, row, keys, update)._generate_cache_key()

        first = {"user_id": 1, "thread_id": 2, "level": "follow"}
        second = {"user_id": 3, "thread_id": 4, "level": "mute"}
        keys = ["user_id", "thread_id"]
        assert key(first, keys) is not None
        assert key(first, keys) == key(second, keys)  # other values, one statement
        assert key(first, keys, ["level"]) == key(second, keys, ["level"])
        different = [key(first, keys), key(first, keys, ["level"]),
                     key(first, keys, ["level", "user_id"]),
                     key({"user_id": 1, "space_id": 2, "level": "follow"}, ["user_id", "space_id"]),
                     key({"user_id": 1, "thread_id": 2}, keys)]
        assert all(a.key != b.key for i, a in enumerate(different) for b in different[i + 1:])


def test_on_conflict_inserts_then_updates_or_keeps(app, world):
    with app.app_context():
        row = {"user_id": world.member.id, "space_id": world.regional.id, "level": "follow"}
        db.session.execute(on_conflict(db.session, Subscription, row, ["user_id", "space_id"]))
        db.session.execute(on_conflict(db.session, Subscription, {**row, "level": "mute"},
                                       ["user_id", "space_id"]))  # nothing: one is there
        levels = lambda: db.session.scalars(select(Subscription.level).where(  # noqa: E731
            Subscription.user_id == world.member.id,
            Subscription.space_id == world.regional.id)).all()
        assert levels() == ["follow"]
        db.session.execute(on_conflict(db.session, Subscription, {**row, "level": "mute"},
                                       ["user_id", "space_id"], ["level"]))
        assert levels() == ["mute"]
