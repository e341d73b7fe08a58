"""Meetings as iCalendar: the event of one meeting, whole calendars, and the secret feed URLs.

- `meeting_event()` is one VEVENT: a UID that never changes for the meeting, its SEQUENCE
  (raised by the services on every change of time or place and on cancellation), times in
  UTC, and STATUS CONFIRMED or CANCELLED (a cancelled meeting stays in the feeds as such, so
  calendars that had it strike it out). ORGANIZER and ATTENDEE are written only for the
  invitations sent by email (METHOD REQUEST / CANCEL).
- `calendar_bytes()` wraps events in a VCALENDAR.
- Every text written (titles, places, descriptions, space and person names) goes through
  `line()` or `lines()`, so whatever is stored makes well-formed iCalendar.
- Feed URLs carry `<user id>-<token>`, the token being an HMAC (SECRET_KEY) of the person and
  the salt of their `CalendarKey`. Until the person first asks for new addresses the salt is
  empty and no row exists; `reset_key()` writes a random salt, so the old URLs stop working.
  So showing a feed URL never writes (any page may show one), and nothing secret is stored.
- A guest's answer link (`/incontri/ospite/<token>`) carries `guest_token()`: an HMAC
  (SECRET_KEY) of the meeting and the random `link_nonce` of the guest's row. The row stores
  the nonce and the token's hash (what the link is looked up by), so the emails after the
  invitation can give the link again; deleting the row (uninviting) ends it.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cop import mail
from cop.auth.models import User
from cop.database import upsert, utcnow
from cop.extensions import db
from cop.meetings.models import Answer, CalendarKey, Meeting
from cop.spaces.models import Space
from cop.text import multi_line, one_line
from cop.tokens import hash_token

PRODID = "-//Regione Lombardia//Comunita di pratica conciliazione//IT"
FEED_DAYS_BACK = 60
FEED_DAYS_AHEAD = 400
FEED_MAX_EVENTS = 500
_PARTSTAT = {Answer.YES.value: "ACCEPTED", Answer.NO.value: "DECLINED",
             Answer.MAYBE.value: "TENTATIVE"}


# --- events and calendars --------------------------------------------------------------------

def _text(value: str | None) -> str:
    """Stored text as UTF-8 can carry it (a lone surrogate becomes «?»)."""
    return (value or "").encode("utf-8", "replace").decode("utf-8")


def line(value: str | None) -> str:
    """One line for a property or a parameter (SUMMARY, LOCATION, CN, X-WR-CALNAME), whatever
    a title or a name holds: line breaks and tabs become a space, other controls and bidi
    overrides go. Stored data and other paths than the forms may hold them, and an X- property
    is written unescaped: a line break in it cannot be written at all."""
    return " ".join(one_line(_text(value)).split())


def lines(value: str | None) -> str:
    """Lines of text (DESCRIPTION, which escapes them), other controls gone."""
    return multi_line(_text(value)).strip()


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.id}@cop"


def meeting_link(meeting: Meeting) -> str:
    return mail.link("meetings.show", meeting_id=meeting.id)


def location(meeting: Meeting) -> str:
    """The place and/or the link, as the meeting's mode says."""
    parts = []
    if meeting.mode != "online" and meeting.place:
        parts.append(meeting.place)
    if meeting.mode != "presenza" and meeting.online_url:
        parts.append(meeting.online_url)
    return line(" · ".join(parts) or meeting.place or meeting.online_url)


def space_of(meeting: Meeting) -> Space:
    return db.session.get(Space, meeting.space_id)  # from the identity map when eager-loaded


def meeting_event(meeting: Meeting, *, link: str | None = None, attendee: User | None = None,
                  answer: str | None = None, organizer_name: str | None = None,
                  now: datetime | None = None) -> Event:
    """The VEVENT of `meeting`. With `attendee` (invitation emails) it names the organizer
    (the platform's sender address, which asks for no reply) and the recipient."""
    link = link or meeting_link(meeting)
    space = space_of(meeting)
    event = Event()
    event.add("uid", uid(meeting))
    event.add("sequence", meeting.sequence or 0)
    event.add("dtstamp", now or utcnow())
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.updated_at or meeting.created_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", line(meeting.title))
    where = location(meeting)
    if where:
        event.add("location", where)
    text = [_("Spazio: %(name)s", name=line(space.name))] if space else []
    if meeting.is_cancelled:
        text.append(_("Incontro annullato."))
    description = lines(meeting.description)
    if description:
        text += ["", description]
    text += ["", _("Pagina dell'incontro: %(link)s", link=link)]
    event.add("description", "\n".join(text).strip())
    event.add("url", link)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if meeting.is_cancelled else "OPAQUE")
    if attendee is not None:
        sender_name, sender_address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
        organizer = vCalAddress(f"mailto:{sender_address}")
        organizer.params["cn"] = vText(line(organizer_name or (space.name if space else
                                                               sender_name)))
        event.add("organizer", organizer)
        person = vCalAddress(f"mailto:{line(attendee.email)}")
        person.params["cn"] = vText(line(attendee.name))
        person.params["role"] = vText("REQ-PARTICIPANT")
        person.params["partstat"] = vText(_PARTSTAT.get(answer or "", "NEEDS-ACTION"))
        person.params["rsvp"] = vText("FALSE")  # answers are given on the meeting's page
        event.add("attendee", person)
    return event


def calendar_bytes(meetings, method: str | None = None, name: str | None = None, *,
                   events=None) -> bytes:
    """A VCALENDAR of `meetings` (or of ready `events`), as bytes to serve or attach."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", line(name) or _("Incontri della comunità di pratica"))
    cal.add("x-wr-timezone", "Europe/Rome")
    now = utcnow()
    for event in events if events is not None else (meeting_event(m, now=now) for m in meetings):
        cal.add_component(event)
    return cal.to_ical()


def feed_meetings(clause, now: datetime | None = None,
                  limit: int = FEED_MAX_EVENTS) -> list[Meeting]:
    """The meetings of a feed: `clause` (an access condition on Meeting) within the window,
    at most FEED_MAX_EVENTS, their spaces loaded in the same statement."""
    now = now or utcnow()
    return list(db.session.scalars(
        select(Meeting).options(joinedload(Meeting.space))
        .where(clause, Meeting.starts_at >= now - timedelta(days=FEED_DAYS_BACK),
               Meeting.starts_at <= now + timedelta(days=FEED_DAYS_AHEAD))
        .order_by(Meeting.starts_at, Meeting.id).limit(limit)))


# --- feed keys -------------------------------------------------------------------------------

def _salt(user: User) -> str:
    return db.session.scalar(select(CalendarKey.salt).where(CalendarKey.user_id == user.id)) or ""


def _token(user: User, salt: str) -> str:
    created = int(user.created_at.timestamp()) if user.created_at else 0  # a reused id differs
    message = f"cop-calendar:{user.id}:{created}:{salt}".encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), message,
                    hashlib.sha256).hexdigest()[:32]


def feed_token(user: User) -> str:
    return _token(user, _salt(user))


def feed_key(user: User) -> str:
    """What a feed URL carries: `<user id>-<token>`."""
    return f"{user.id}-{feed_token(user)}"


def user_for_token(key: str) -> User | None:
    """The active person whose feed `key` opens, or None."""
    user_id, dash, token = (key or "").partition("-")
    if not dash or not user_id.isdigit() or len(user_id) > 12 or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(feed_token(user).encode(), token.encode()):
        return None
    return user


def reset_key(user: User) -> None:
    """New feed addresses for `user`: the old ones stop working. Does not commit."""
    upsert(CalendarKey, {"user_id": user.id},
           {"salt": secrets.token_hex(16), "created_at": utcnow()})


def personal_feed_url(user: User, key: str | None = None) -> str:
    """The absolute URL of the person's own calendar feed (pass `key` from `feed_key()` to
    build several URLs with one query)."""
    return mail.link("feeds.personal", token=key or feed_key(user))


def space_feed_url(user: User, space: Space, key: str | None = None) -> str:
    """The absolute URL of the feed of `space`'s meetings, as `user` may see them."""
    return mail.link("feeds.space", token=key or feed_key(user), slug=space.slug)


# --- guests' answer links --------------------------------------------------------------------

def new_guest_nonce() -> str:
    return secrets.token_urlsafe(16)


def guest_token(meeting_id: int, nonce: str | None) -> str | None:
    """The token of a guest's answer link (as long as a random token_urlsafe(32)); None for
    a guest invited before links had a nonce (only their invitation email has the link)."""
    if not nonce:
        return None
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(),
                      f"cop-guest:{meeting_id}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def guest_token_again(guest) -> str | None:
    """The token of `guest`'s answer link, computed again, if it is the one their row was made
    with (its hash is stored); None for a guest invited before links had a nonce, or when
    SECRET_KEY has changed since (the old link still opens, by its hash: it is not replaced)."""
    token = guest_token(guest.meeting_id, guest.link_nonce)
    if token is None or not hmac.compare_digest(hash_token(token), guest.token_hash):
        return None
    return token
