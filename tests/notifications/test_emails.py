"""Emails by each person's choice, one-click unsubscribe, the daily summary; pages stay cheap."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import render_template_string
from sqlalchemy import select, update

from cop import mail as mail_module
from cop.database import utcnow
from cop.extensions import db
from cop.notifications.cli import send_notification_summaries
from cop.notifications.models import Notification, NotificationSettings
from tests.notifications.helpers import add_reply, new_thread, notifications_of, text

TITLE = "Orari flessibili: come vi organizzate?"


def _frequency(app, person) -> str | None:
    with app.app_context():
        return db.session.scalar(select(NotificationSettings.email_frequency)
                                 .where(NotificationSettings.user_id == person.id))


def _summaries(app):
    return app.test_cli_runner().invoke(send_notification_summaries)


def test_one_click_unsubscribe_works_with_one_post_and_no_sign_in(
        app, world, smtp, new_client, monkeypatch):
    sent = []
    real_send = mail_module.send_all
    monkeypatch.setattr(mail_module, "send_all",
                        lambda messages: (sent.extend(bytes(m) for m in messages),
                                          real_send(messages)))
    thread_id, _ = new_thread(app, world.reserved, world.member)
    add_reply(app, thread_id, world.coordinator)
    [mail] = smtp.to(world.member.email)
    url = mail.message["List-Unsubscribe"].strip("<>")
    # On the wire the header is the plain URL in angle brackets (no RFC 2047 encoded-word).
    [raw] = sent
    assert f"\r\nList-Unsubscribe: <{url}>\r\n".encode() in raw.replace(b"\n", b"\r\n") \
        .replace(b"\r\r\n", b"\r\n")
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw
    path = url.removeprefix("http://localhost")

    anonymous = new_client()
    page = text(anonymous.get(path))  # a confirmation page; opening it changes nothing
    assert "Nessuna email di notifica" in page and "Nessuna notifica da questa discussione" in page
    assert _frequency(app, world.member) is None
    # What a mail client sends (RFC 8058): a bare POST, no session, no CSRF token.
    response = anonymous.post(path, {"List-Unsubscribe": "One-Click"}, csrf=False)
    assert response.status_code == 200
    assert "Non riceverai più email di notifica" in text(response)
    assert _frequency(app, world.member) == "never"

    smtp.messages.clear()
    add_reply(app, thread_id, world.coordinator, "Ancora una risposta.")
    assert smtp.to(world.member.email) == []
    assert len(notifications_of(app, world.member)) == 2  # the site still tells them

    assert anonymous.get(path[:-3] + "xyz").status_code == 404
    assert anonymous.post(path[:-3] + "xyz", csrf=False).status_code == 404


def test_the_unsubscribe_page_can_mute_just_that_thread(app, world, smtp, new_client):
    thread_id, _ = new_thread(app, world.reserved, world.member)
    other_id, _ = new_thread(app, world.reserved, world.member, title="Un altro tema")
    add_reply(app, thread_id, world.coordinator)
    [mail] = smtp.to(world.member.email)
    [link] = [u for u in smtp.links(mail) if "/notifiche/disiscriviti/" in u]
    response = new_client().post(link.removeprefix("http://localhost"),
                                 {"scelta": "discussione"}, csrf=False)
    assert "Discussione silenziata" in text(response)
    smtp.messages.clear()
    add_reply(app, thread_id, world.coordinator, "Qui non più.")
    add_reply(app, other_id, world.coordinator, "Qui sì.")
    assert [m.subject for m in smtp.to(world.member.email)] == [
        "Coordinatrice Alleanza ha risposto al tuo messaggio in «Un altro tema»"]


def test_daily_summary_sends_once_what_is_unread_and_visible(app, world, smtp, client):
    client.login(world.member.email)
    page = text(client.get("/notifiche/preferenze"))
    assert re.search(r'<input checked[^>]*value="each"', page)  # the default
    client.post("/notifiche/preferenze", {"email_frequency": "daily"})
    assert _frequency(app, world.member) == "daily"

    thread_id, _ = new_thread(app, world.reserved, world.member)
    first = add_reply(app, thread_id, world.coordinator, "Prima risposta, con **orari**.")
    second = add_reply(app, thread_id, world.coordinator, "Seconda risposta.")
    read = add_reply(app, thread_id, world.coordinator, "Già letta nel sito.")
    old = add_reply(app, thread_id, world.coordinator, "Troppo vecchia.")
    with app.app_context():
        db.session.execute(update(Notification).where(Notification.post_id == read)
                           .values(read_at=utcnow()))
        db.session.execute(update(Notification).where(Notification.post_id == old)
                           .values(created_at=utcnow() - timedelta(days=3)))
        db.session.commit()
    assert smtp.to(world.member.email) == []  # nothing at once

    result = _summaries(app)
    assert result.exit_code == 0, result.output
    assert "Riepiloghi inviati: 1 (2 notifiche)." in result.output
    [mail] = smtp.to(world.member.email)
    assert mail.subject == "Il tuo riepilogo: 2 notifiche"
    assert "Prima risposta, con orari." in mail.body and "Seconda risposta." in mail.body
    assert "Già letta" not in mail.body and "Troppo vecchia" not in mail.body
    assert mail.body.index("Prima risposta") < mail.body.index("Seconda risposta")
    links = smtp.links(mail)
    assert f"http://localhost/discussioni/messaggi/{first}" in links
    assert f"http://localhost/discussioni/messaggi/{second}" in links
    assert "http://localhost/notifiche/" in links
    assert any("/notifiche/disiscriviti/" in u for u in links)
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    again = _summaries(app)
    assert "Riepiloghi inviati: 0 (0 notifiche)." in again.output
    assert len(smtp.to(world.member.email)) == 1
    # The site still lists everything unread.
    assert "3 notifiche non lette." in text(client.get("/notifiche/"))


def test_never_means_no_email_but_the_site_still_tells(app, world, smtp, client):
    client.login(world.member.email)
    client.post("/notifiche/preferenze", {"email_frequency": "never"})
    thread_id, _ = new_thread(app, world.reserved, world.member)
    add_reply(app, thread_id, world.coordinator)
    _summaries(app)
    assert smtp.to(world.member.email) == []
    assert "1 notifica non letta." in text(client.get("/notifiche/"))
    assert client.post("/notifiche/preferenze", {"email_frequency": "spesso"}).status_code == 200
    assert _frequency(app, world.member) == "never"


def test_pages_need_sign_in_except_the_unsubscribe_link(client):
    for url in ("/notifiche/", "/notifiche/preferenze", "/notifiche/1"):
        assert "/accedi" in client.get(url).headers["Location"]
    assert client.get("/notifiche/disiscriviti/non-valido").status_code == 404


BELL_PAGE = ('{% extends "base.html" %}{% block content %}'
             '{% include "notifications/_bell.html" %}{% endblock %}')


@pytest.fixture
def bell_url(app):
    """A page with the bell partial, until base.html carries it everywhere."""
    app.add_url_rule("/prova-campanella", "bell_probe",
                     lambda: render_template_string(BELL_PAGE))
    return "/prova-campanella"


def test_the_bell_says_how_many_are_unread(app, world, client, bell_url):
    client.login(world.member.email)
    assert "Notifiche, nessuna non letta" in text(client.get(bell_url))
    thread_id, _ = new_thread(app, world.reserved, world.member)
    add_reply(app, thread_id, world.coordinator)
    add_reply(app, thread_id, world.referent)
    page = text(client.get(bell_url))
    assert "Notifiche, 2 non lette" in page
    assert '<span class="badge cop-unread" aria-hidden="true">2</span>' in page


def test_bell_and_list_run_a_constant_number_of_statements(
        app, world, factory, new_client, count_queries, bell_url):
    people = [factory.user(name=f"Persona Attiva {i}") for i in range(4)]
    for person in people:
        factory.member(world.reserved, person)
    reader = new_client()
    reader.login(world.member.email)

    def grow(n):
        for i in range(n):
            space = world.reserved if i % 2 else world.regional
            thread_id, _ = new_thread(app, space, world.member, title=f"Tema numero {i}")
            for person in people[: 1 + i % len(people)]:
                add_reply(app, thread_id, person, f"Risposta di {person.name}")

    def measure():
        counts = {}
        for url in (bell_url, "/notifiche/", "/notifiche/?pagina=2", "/notifiche/preferenze"):
            with count_queries() as statements:
                assert reader.get(url).status_code == 200
            counts[url] = len(statements)
        return counts

    grow(13)  # 31 notifications: a second page with one on it
    small = measure()
    grow(20)
    large = measure()
    assert len(notifications_of(app, world.member)) > 60  # more than two pages
    assert large == small
    assert max(small.values()) <= 10, small
