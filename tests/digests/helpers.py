"""A world with something in each section of a digest, and reading digests from the inbox."""
from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import update

from cop.auth.models import User
from cop.database import utcnow
from cop.digests import cli
from cop.digests.models import DigestSettings
from cop.discussions import services as discussions
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.meetings import services as meetings
from cop.meetings.models import Meeting
from tests.meetings.helpers import Meetings
from tests.notifications.helpers import add_reply, new_thread
from tests.practices.helpers import Practices

SUBJECT = "Novità nei tuoi spazi"


def digests_to(smtp, person) -> list:
    return [m for m in smtp.to(person.email) if m.subject.startswith(SUBJECT)]


def run(app, now: datetime | None = None) -> cli.Outcome:
    with app.app_context():
        return cli.send_due_digests(now)


def settings(app, person) -> SimpleNamespace | None:
    with app.app_context():
        row = db.session.get(DigestSettings, person.id)
        return None if row is None else SimpleNamespace(
            frequency=row.frequency, covered_until=row.covered_until,
            last_sent_at=row.last_sent_at)


def set_settings(app, person, frequency="weekly", covered_until=None) -> None:
    with app.app_context():
        db.session.merge(DigestSettings(user_id=person.id, frequency=frequency,
                                        covered_until=covered_until))
        db.session.commit()


def backdate_thread(app, thread_id: int, when: datetime) -> None:
    """The thread and its posts written at `when`."""
    with app.app_context():
        db.session.execute(update(Thread).where(Thread.id == thread_id)
                           .values(created_at=when, last_activity_at=when))
        db.session.execute(update(Post).where(Post.thread_id == thread_id)
                           .values(created_at=when))
        db.session.commit()


def hidden_thread(app, space, author, moderator, title) -> int:
    thread_id, _ = new_thread(app, space, author, title=title)
    with app.app_context():
        discussions.set_thread_hidden(db.session.get(Thread, thread_id),
                                      db.session.get(User, moderator.id), True, "Fuori tema.")
        db.session.commit()
    return thread_id


def add_action(app, meeting_id: int, planner, owner, title: str, due=None) -> int:
    with app.app_context():
        action = meetings.add_action(db.session.get(Meeting, meeting_id),
                                     db.session.get(User, planner.id), title, owner.id, due)
        db.session.commit()
        return action.id


def rich_world(app, world, factory) -> SimpleNamespace:
    """For world.member (reserved space of Alleanza Bergamo 1): something to tell in every
    section, and beside it what they must never read."""
    w = SimpleNamespace()
    now = utcnow()
    # Seen: a new thread, an older thread with new answers, a published record, a meeting in
    # five days, an open action.
    w.new_thread, _ = new_thread(app, world.reserved, world.coordinator,
                                 title="Nuovo bando per i servizi di conciliazione")
    w.old_thread, _ = new_thread(app, world.reserved, world.coordinator,
                                 title="Calendario scolastico e centri estivi")
    backdate_thread(app, w.old_thread, now - timedelta(days=30))
    add_reply(app, w.old_thread, world.coordinator, "Prima risposta.")
    add_reply(app, w.old_thread, world.coordinator, "Seconda risposta.")
    hidden_reply = add_reply(app, w.old_thread, world.coordinator, "Risposta nascosta.")
    with app.app_context():
        discussions.set_post_hidden(db.session.get(Post, hidden_reply),
                                    db.session.get(User, world.coordinator.id), True, "Spam.")
        db.session.commit()
    practices = Practices(app)
    w.practice = practices.make(world.reserved.slug, world.coordinator.id,
                                validator_id=world.admin.id,
                                title="Sportello caregiver pubblicato")
    w.meeting = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                   title="Tavolo della rete di Bergamo",
                                   starts=now.replace(microsecond=0) + timedelta(days=5))
    w.action = add_action(app, w.meeting, world.coordinator, world.member,
                          "Raccogliere i dati sui nidi aziendali")
    # Never seen by the member: a hidden thread of their space, a draft, a thread and a
    # meeting of a reserved space they are not in, a meeting too far ahead.
    hidden_thread(app, world.reserved, world.coordinator, world.coordinator,
                  "Discussione nascosta dai coordinatori")
    practices.make(world.reserved.slug, world.coordinator.id, status="bozza",
                   title="Scheda ancora in bozza")
    w.private = factory.space(name="Gruppo riservato delle imprese", visibility="riservato")
    factory.member(w.private, world.outsider, "coordinatore")
    new_thread(app, w.private, world.outsider, title="Discussione dello spazio riservato")
    Meetings(app).make(w.private.slug, world.outsider.id, title="Incontro riservato alle imprese",
                       starts=now.replace(microsecond=0) + timedelta(days=3))
    Meetings(app).make(world.reserved.slug, world.coordinator.id, title="Incontro lontano",
                       starts=now.replace(microsecond=0) + timedelta(days=40))
    return w


SEEN = ("Nuovo bando per i servizi di conciliazione", "Calendario scolastico e centri estivi",
        "Sportello caregiver pubblicato", "Tavolo della rete di Bergamo",
        "Raccogliere i dati sui nidi aziendali")
NEVER_SEEN = ("Discussione nascosta dai coordinatori", "Scheda ancora in bozza",
              "Discussione dello spazio riservato", "Incontro riservato alle imprese",
              "Incontro lontano")
