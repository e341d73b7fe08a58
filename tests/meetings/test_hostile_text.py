"""Whatever a title, a place, a description, a space's or a person's name holds (line breaks,
NUL and other controls, bidi overrides, emoji, great length), the .ics of a meeting, the feeds
and the invitation's attachment are well-formed iCalendar, and the HTTP headers are clean.
The data is written directly, as stored data or another path may hold it, not through forms."""
from __future__ import annotations

import os
import re
from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.meetings import services
from cop.spaces.models import Space
from tests.meetings.test_calendar import feed_path, soon

# PostgreSQL cannot store a NUL at all (and the forms drop it): there it is left out.
NUL = "" if os.environ.get("COP_TEST_DATABASE_URL", "").startswith("postgres") else "\x00"
HOSTILE = f"Riga uno\r\nRiga due\rtre\nquattro{NUL}\x07\x1b\x7f \u202erovesciato\u202c 😀👩‍💻"
LONG = "lunghissimo " * 40
TITLE = (HOSTILE + " " + LONG)[:200]  # the column holds 200 (PostgreSQL enforces it)
PLACE = f"Sala\nRiunioni{NUL} ; , : \\ \"virgolette\""
DESCRIPTION = f"Prima riga\r\nSeconda{NUL} riga\u2028terza\n\n" + "parola " * 800
SPACE_NAME = f"Spazio\r\ncon a capo{NUL} \u202e😀"
PERSON_NAME = f"Nome\nCognome{NUL} \u2066😀\u2069"
_BAD = re.compile("[\x00-\x08\x0a-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def _hostile_world(app, world, smtp=None):
    """A meeting of the reserved space with hostile texts, its space and its invited member
    renamed so; returns the meeting's id."""
    with app.app_context():
        space = db.session.get(Space, world.reserved.id)
        space.name = SPACE_NAME
        db.session.get(User, world.member.id).name = PERSON_NAME
        planner = db.session.get(User, world.coordinator.id)
        starts = soon(4)
        meeting = services.plan_meeting(space, planner, services.MeetingInput(
            title=TITLE, kind="comunita_pratica", mode="ibrido", starts_at=starts,
            ends_at=starts + timedelta(hours=2), place=PLACE,
            online_url="https://meet.example.org/x", description=DESCRIPTION))
        services.invite(meeting, planner, user_ids=[world.member.id])
        db.session.commit()
        return meeting.id


def _well_formed(body: bytes) -> Calendar:
    assert body.endswith(b"\r\n")
    for line in body[:-2].split(b"\r\n"):
        text = line.decode("utf-8")  # never a split character, never a lone surrogate
        assert len(line) <= 75, line
        assert not _BAD.search(text), line
    return Calendar.from_ical(body)


def _clean_headers(response) -> None:
    for name, value in response.headers.items():
        assert not re.search(r"[\x00-\x1f\x7f]", value), (name, value)
        value.encode("latin-1")


def _check_event(event) -> None:
    summary = str(event["summary"])
    assert summary.startswith("Riga uno Riga due tre quattro rovesciato 😀👩‍💻 lunghissimo")
    assert not _BAD.search(summary)
    location = str(event["location"])
    assert location.startswith("Sala Riunioni ; , : \\ \"virgolette\" · https://meet.example")
    description = str(event["description"])
    assert "Spazio: Spazio con a capo 😀" in description
    assert "Prima riga\nSeconda riga\nterza" in description
    assert "\x00" not in description and "\r" not in description


def test_the_ics_of_a_meeting_with_hostile_texts(app, world, client):
    mid = _hostile_world(app, world)
    client.login(world.member.email)
    response = client.get(f"/incontri/{mid}/incontro.ics")
    assert response.status_code == 200
    _clean_headers(response)
    assert response.headers["Content-Disposition"] == f'attachment; filename="incontro-{mid}.ics"'
    parsed = _well_formed(response.data)
    assert str(parsed["x-wr-calname"]).startswith("Riga uno Riga due tre quattro rovesciato")
    [event] = parsed.walk("VEVENT")
    _check_event(event)
    assert client.get(f"/incontri/{mid}").status_code == 200


def test_the_feeds_with_hostile_space_and_person_names(app, world, client):
    _hostile_world(app, world)
    response = client.get(feed_path(app, world.member.id))
    assert response.status_code == 200
    _clean_headers(response)
    parsed = _well_formed(response.data)
    assert str(parsed["x-wr-calname"]).startswith("Incontri di Nome Cognome 😀")
    [event] = parsed.walk("VEVENT")
    _check_event(event)

    with app.app_context():
        slug = db.session.scalar(select(Space.slug).where(Space.id == world.reserved.id))
    response = client.get(feed_path(app, world.member.id, slug))
    assert response.status_code == 200
    _clean_headers(response)
    parsed = _well_formed(response.data)
    assert str(parsed["x-wr-calname"]) == "Incontri · Spazio con a capo 😀"
    _check_event(parsed.walk("VEVENT")[0])


def test_the_invitations_attachment_with_hostile_names(app, world, smtp):
    mid = _hostile_world(app, world)
    [mail] = smtp.to(world.member.email)
    [part] = [p for p in mail.message.iter_attachments()
              if p.get_content_type() == "text/calendar"]
    parsed = _well_formed(part.get_payload(decode=True))
    [event] = parsed.walk("VEVENT")
    _check_event(event)
    assert str(event["attendee"].params["cn"]) == "Nome Cognome 😀"
    assert str(event["organizer"].params["cn"]) == "Spazio con a capo 😀"
    assert str(event["uid"]) == f"meeting-{mid}@cop"
