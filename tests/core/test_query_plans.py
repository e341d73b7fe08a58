"""Every SELECT of a reply and of the busiest pages finds its rows through an index on SQLite:
none scans a table that grows with the region's activity, none materialises a join. SQLite
plans without statistics here as on a big database, so a plan that scans on this small one
scans on the Region's too (a joined many-to-many made it materialise the whole tags ×
thread_tags join at every view of a thread, 4 ms on the factor-10 database)."""
from __future__ import annotations

import re

import pytest

from cop.extensions import db
from tests.conftest import recorded
from tests.notifications.helpers import new_thread, thread_url

# Tables that grow with activity: a full scan of one costs more every month.
GROWING = ("posts", "threads", "thread_tags", "thread_reads", "subscriptions", "notifications",
           "notification_fanouts", "search_entries", "post_useful", "value_stories",
           "decisions", "practices", "meetings", "memberships", "attachments", "login_sessions")
SCAN = re.compile(r"\bSCAN (\w+)(?: AS \w+)?( USING (?:COVERING )?INDEX)?")


def selects(app):
    """(SQL, parameters) of the SELECT statements run meanwhile."""
    return recorded(app, lambda statement, parameters, context: (statement, parameters)
                    if statement.lstrip().upper().startswith("SELECT") else None)


def _bad_steps(app, statement: str, parameters) -> list[str]:
    with app.app_context():
        plan = db.session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, parameters).all()
    bad = []
    for *_, step in plan:
        scan = SCAN.search(step)
        if "MATERIALIZE" in step or (scan and scan.group(1) in GROWING and not scan.group(2)):
            bad.append(step)
    return bad


@pytest.fixture
def app(make_app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's plans (PostgreSQL plans from its statistics)")
    return make_app(NOTIFICATION_EMAIL_WORKER=True)


def test_a_reply_and_the_busiest_pages_read_through_indexes(app, world, client):
    thread_id, _ = new_thread(app, world.reserved, world.member)
    page = thread_url(world.reserved, thread_id)
    client.login(world.coordinator.email)
    with selects(app) as found:
        assert client.post(page + "/rispondi", {"body": "Una risposta."}).status_code == 302
        for url in (page, "/", "/notifiche/", f"/spazi/{world.reserved.slug}/",
                    f"/spazi/{world.reserved.slug}/discussioni/", "/discussioni", "/pratiche/",
                    "/cerca?q=orari", "/rubrica/?q=orari", "/calendario/", "/azioni/"):
            assert client.get(url).status_code == 200, url
    assert len(found) > 30
    scanning = {" ".join(statement.split())[:160]: steps for statement, parameters in found
                if (steps := _bad_steps(app, statement, parameters))}
    assert scanning == {}
