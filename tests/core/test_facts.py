"""`cop.facts`: what a reader's page needs to know about one subject (the follow button, how
far they read, stories, decisions, the bell) comes in one statement built once per process;
each reader gets their own values from it."""
from __future__ import annotations

import re

from cop.auth.models import User
from cop.discussions.models import Thread
from cop.extensions import db
from cop.notifications import services as notifications
from tests.notifications.helpers import add_reply, new_thread, text


def _pressed(page: str) -> str:
    [level] = re.findall(r'name="level" value="(\w+)" aria-pressed="true"', page)
    return level


def test_each_reader_gets_their_own_facts_from_the_one_statement(
        app, world, client, new_client, count_queries):
    thread_id, _ = new_thread(app, world.reserved, world.member)
    add_reply(app, thread_id, world.coordinator, "Noi usiamo la banca delle ore.")
    with app.app_context():  # the coordinator followed by replying; now mutes it
        notifications.set_level(db.session.get(User, world.coordinator.id), "mute",
                                thread=db.session.get(Thread, thread_id))
        db.session.commit()
    url = f"/spazi/{world.reserved.slug}/discussioni/{thread_id}"
    coordinator = new_client()
    coordinator.login(world.coordinator.email)
    client.login(world.member.email)

    with count_queries() as statements:
        member_page = text(client.get(url))
    coordinator_page = text(coordinator.get(url))

    assert _pressed(member_page) == "follow"  # the author follows their thread
    assert "Notifiche, 1 non letta" in member_page  # the coordinator's reply
    assert _pressed(coordinator_page) == "mute"
    assert "Notifiche, nessuna non letta" in coordinator_page
    together = [s for s in statements if all(
        table in s for table in ("subscriptions", "thread_reads", "value_stories", "decisions",
                                 "notifications"))]
    assert len(together) == 1, "the page's facts are asked in one statement"
    assert not any(s.lstrip().upper().startswith("SELECT SUBSCRIPTIONS.LEVEL")
                   for s in statements)
    assert "Noi usiamo la banca delle ore." in member_page


def test_following_from_the_page_shows_at_once(app, world, client):
    """The follow button posts, then the page is drawn again with the new level."""
    thread_id, _ = new_thread(app, world.reserved, world.member)
    client.login(world.coordinator.email)
    url = f"/spazi/{world.reserved.slug}/discussioni/{thread_id}"
    assert _pressed(text(client.get(url))) == "none"
    response = client.post("/notifiche/segui", {"thread_id": thread_id, "level": "follow",
                                                "next": url})
    assert response.status_code == 302
    assert _pressed(text(client.get(url))) == "follow"


def test_the_home_page_counts_spaces_and_the_bell_in_one_statement(
        app, world, client, count_queries):
    thread_id, _ = new_thread(app, world.reserved, world.member)
    add_reply(app, thread_id, world.coordinator, "Una risposta per la campanella.")
    client.login(world.member.email)
    with app.app_context():
        from sqlalchemy import func, select

        from cop.spaces.queries import visible_spaces
        member = db.session.get(User, world.member.id)
        visible = db.session.scalar(select(func.count()).select_from(
            visible_spaces(member).subquery()))
        assert visible >= 2
    with count_queries() as statements:
        page = text(client.get("/"))
    figure = re.search(r'<span class="cop-stat">(\d+)</span><br>spazi che puoi vedere', page)
    assert figure and int(figure.group(1)) == visible
    assert "Notifiche, 1 non letta" in page
    together = [s for s in statements if "notifications" in s and "memberships" in s
                and "count(" in s.lower()]
    assert len(together) == 1
    assert sum("notifications" in s for s in statements) == 1
