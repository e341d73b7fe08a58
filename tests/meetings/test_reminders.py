"""`flask cop send-reminders`: the owners of open actions coming due are emailed once per due
date, through a real SMTP server; when the server is down nothing is marked and the next run
sends them."""
from __future__ import annotations

import socket
from datetime import timedelta

from sqlalchemy import select

from cop import mail
from cop.auth.models import User
from cop.database import utcnow
from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import Action, Meeting
from cop.meetings.times import local
from cop.notifications import services as notifications
from cop.spaces import services as spaces
from cop.spaces.models import Space
from tests.meetings.helpers import Meetings


def today():
    return local(utcnow()).date()


def add_actions(app, meeting_id, actor_id, rows, smtp=None) -> dict[str, int]:
    """rows: (title, owner id, days from today or None, status). With `smtp`, the emails of
    the assignments are let go, so that the test reads only the reminders."""
    ids = {}
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        actor = db.session.get(User, actor_id)
        for title, owner_id, days, status in rows:
            due = today() + timedelta(days=days) if days is not None else None
            action = services.add_action(meeting, actor, title, owner_id, due)
            if status != "aperta":
                services.update_action(action, status=status)
            ids[title] = action.id
        db.session.commit()
    if smtp is not None:
        mail.wait_for_deliveries()
        smtp.messages.clear()
    return ids


def run(app):
    return app.test_cli_runner().invoke(args=["cop", "send-reminders"])


def reminded(app, action_id):
    with app.app_context():
        return db.session.get(Action, action_id).reminded_for


def test_open_actions_coming_due_are_reminded_once_per_due_date(app, world, smtp):
    mid = Meetings(app).past(world.reserved.slug, world.coordinator.id, title="Tavolo di giugno",
                             days=20)  # its actions may be overdue: due after it, before today
    ids = add_actions(app, mid, world.coordinator.id, [
        ("Domani", world.member.id, 1, "aperta"),
        ("Oggi in corso", world.member.id, 0, "in_corso"),
        ("Scaduta da tre giorni", world.member.id, -3, "aperta"),
        ("Scaduta da dieci giorni", world.member.id, -10, "aperta"),
        ("Fra tre giorni", world.member.id, 3, "aperta"),
        ("Fra quattro giorni", world.member.id, 4, "aperta"),
        ("Fatta", world.member.id, 1, "fatta"),
        ("Annullata", world.member.id, 1, "annullata"),
        ("Senza scadenza", world.member.id, None, "aperta"),
        ("Senza responsabile", None, 1, "aperta"),
        ("Della coordinatrice", world.coordinator.id, 2, "aperta"),
    ], smtp)
    result = run(app)
    assert result.exit_code == 0, result.output
    assert "Promemoria inviati: 2 (azioni ricordate: 5)." in result.output
    [mail] = smtp.to(world.member.email)
    assert mail.subject == "Promemoria: 4 azioni in scadenza"
    for title in ("Domani", "Oggi in corso", "Scaduta da tre giorni", "Fra tre giorni"):
        assert f"- {title} (" in mail.body
    for title in ("dieci giorni", "quattro giorni", "Fatta", "Annullata", "Senza"):
        assert title not in mail.body
    assert "(scade oggi, " in mail.body and "(scaduta " in mail.body
    assert "Incontro: Tavolo di giugno" in mail.body
    assert f"http://localhost/incontri/{mid}" in smtp.links(mail)
    assert "http://localhost/azioni/" in smtp.links(mail)
    [other] = smtp.to(world.coordinator.email)
    assert other.subject == "Promemoria: 1 azione in scadenza"
    assert "Della coordinatrice" in other.body
    assert reminded(app, ids["Domani"]) == today() + timedelta(days=1)
    assert reminded(app, ids["Fra quattro giorni"]) is None

    smtp.messages.clear()
    result = run(app)
    assert "Promemoria inviati: 0 (azioni ricordate: 0)." in result.output and smtp.messages == []

    with app.app_context():  # a new due date is reminded of again
        services.reschedule_action(db.session.get(Action, ids["Domani"]),
                                   db.session.get(User, world.coordinator.id),
                                   today() + timedelta(days=2))
        db.session.commit()
    assert "Promemoria inviati: 1 (azioni ricordate: 1)." in run(app).output
    [mail] = smtp.messages
    assert mail.subject == "Promemoria: 1 azione in scadenza" and "- Domani (" in mail.body
    assert reminded(app, ids["Domani"]) == today() + timedelta(days=2)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


def test_when_the_mail_server_is_down_nothing_is_marked_and_the_next_run_sends(
        app, make_app, world, smtp):
    mid = Meetings(app).past(world.reserved.slug, world.coordinator.id)
    ids = add_actions(app, mid, world.coordinator.id, [("Domani", world.member.id, 1, "aperta")],
                      smtp)
    down = make_app(MAIL_PORT=_closed_port())
    result = run(down)
    assert result.exit_code != 0
    assert "Promemoria inviati: 0 (azioni ricordate: 0)." in result.output
    assert "Server di posta non raggiungibile" in result.output
    assert smtp.messages == [] and reminded(app, ids["Domani"]) is None

    result = run(app)
    assert result.exit_code == 0 and "Promemoria inviati: 1 (azioni ricordate: 1)." in result.output
    assert len(smtp.to(world.member.email)) == 1
    assert reminded(app, ids["Domani"]) == today() + timedelta(days=1)


def test_no_reminder_where_the_owner_may_no_longer_see_the_meeting_or_wants_no_email(
        app, world, smtp, factory):
    mid = Meetings(app).past(world.reserved.slug, world.coordinator.id)
    quiet = factory.user(name="Persona Silenziosa")
    gone = factory.user(name="Persona Disattivata")
    for person in (quiet, gone):
        factory.member(world.reserved, person)
    ids = add_actions(app, mid, world.coordinator.id, [
        ("Del membro uscito", world.member.id, 1, "aperta"),
        ("Di chi non vuole email", quiet.id, 1, "aperta"),
        ("Di chi è disattivato", gone.id, 1, "aperta"),
        ("Della coordinatrice", world.coordinator.id, 1, "aperta"),
    ], smtp)
    with app.app_context():
        space = db.session.scalar(select(Space).where(Space.id == world.reserved.id))
        spaces.remove_member(space, db.session.get(User, world.member.id))
        notifications.set_email_frequency(db.session.get(User, quiet.id), "never")
        db.session.get(User, gone.id).active = False
        db.session.commit()
    result = run(app)
    # who wants no email is reminded in the bell only
    assert "Promemoria inviati: 1 (azioni ricordate: 2)." in result.output
    assert [m.to for m in smtp.messages] == [[world.coordinator.email]]
    assert reminded(app, ids["Di chi non vuole email"]) is not None
    assert reminded(app, ids["Del membro uscito"]) is None
