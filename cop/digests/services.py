"""Digest emails: what happened in a person's spaces since their last digest. Never commits.

A digest covers from the end of the last one delivered (`covered_until`), or one period back
when none was, up to the moment it is built, capped at MAX_WINDOW (after a long silence the
news is old). It is due once its period (a week, or a day) has passed. Its content is read in
SQL with the clauses of cop.access, as the recipient: new threads and the threads with new
answers in their spaces, records published in their spaces or the regional library, their
meetings of the coming days and their open actions, and what the notification path told them
in the window that they have not read. A digest with none of these but the actions is empty:
nobody is emailed, and the window moves on.

Every digest carries a one-click unsubscribe link (RFC 8058 headers) that sets the frequency
to «never», and the link to the email preferences.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select

from cop import access, mail
from cop.auth.models import User
from cop.database import upsert, utcnow
from cop.digests import queries
from cop.digests.models import DEFAULT_FREQUENCY, PERIODS, DigestFrequency, DigestSettings
from cop.extensions import db
from cop.meetings.times import local
from cop.notifications import queries as notification_queries
from cop.notifications import services as notifications
from cop.notifications.models import Notification

MAX_WINDOW = timedelta(days=31)


# --- the person's choice ---------------------------------------------------------------------

def frequency(user) -> str:
    chosen = db.session.scalar(select(DigestSettings.frequency)
                               .where(DigestSettings.user_id == user.id))
    return chosen or DEFAULT_FREQUENCY


def set_frequency(user, value: str) -> None:
    """Weekly, daily or never. Turning digests back on starts afresh: the next one covers the
    last period, not the months they were off."""
    if value not in {f.value for f in DigestFrequency}:
        raise ValueError(f"unknown digest frequency {value!r}")
    current = db.session.get(DigestSettings, user.id)
    if current is None:
        db.session.add(DigestSettings(user_id=user.id, frequency=value, updated_at=utcnow()))
    elif current.frequency != value:
        if current.frequency == DigestFrequency.NEVER.value:
            current.covered_until = None
        current.frequency = value
    db.session.flush()


# --- the window ------------------------------------------------------------------------------

def period(chosen: str | None) -> timedelta:
    return PERIODS[chosen or DEFAULT_FREQUENCY]


def window(chosen: str | None, covered: datetime | None,
           now: datetime) -> tuple[datetime, datetime]:
    """(since, until) of the digest built at `now` for a person's frequency and the end of
    their last window (None: never sent)."""
    since = covered if covered is not None else now - period(chosen)
    return max(since, now - MAX_WINDOW), now


def due_margin() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("DIGEST_DUE_MARGIN_MINUTES", 60)))


def is_due(chosen: str | None, covered: datetime | None, now: datetime) -> bool:
    """The same rule as queries.due, for one person."""
    if chosen == DigestFrequency.NEVER.value:
        return False
    return covered is None or covered <= now - period(chosen) + due_margin()


@dataclass(frozen=True)
class Due:
    user_id: int
    frequency: str | None
    covered_until: datetime | None


def due_people(now: datetime) -> list[Due]:
    """Who gets a digest at `now`, as plain values (they outlive the commits of the run)."""
    return [Due(*row) for row in db.session.execute(queries.due(now, due_margin())).all()]


def mark_covered(user, until: datetime, sent: bool) -> None:
    """The window up to `until` is settled for the person (emailed, or found empty)."""
    values = {"covered_until": until, "updated_at": utcnow()}
    if sent:
        values["last_sent_at"] = until
    upsert(DigestSettings, {"user_id": user.id}, values)


# --- the content -----------------------------------------------------------------------------

@dataclass
class Section:
    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)

    def __bool__(self) -> bool:
        return self.total > 0


@dataclass
class Digest:
    since: datetime
    until: datetime
    frequency: str
    threads: Section
    answers: Section
    answer_count: int
    practices: Section
    meetings: Section
    actions: Section
    notifications: Section = field(default_factory=Section)

    @property
    def is_empty(self) -> bool:
        """Nothing new to tell: open actions alone do not make a digest."""
        return not (self.threads or self.answers or self.practices or self.meetings
                    or self.notifications)


def _section(rows, link) -> Section:
    rows = list(rows)
    return Section([{**row._asdict(), "link": link(row)} for row in rows],
                   rows[0].total if rows else 0)


def build(user: User, since: datetime, until: datetime, chosen: str | None = None) -> Digest:
    """What the person's digest for the window says; links are absolute. Call it inside a
    request context (see `in_request`): the access rules then read the person's memberships
    once."""
    config = current_app.config
    size = int(config.get("DIGEST_LIST_SIZE", 10))
    days = int(config.get("DIGEST_MEETING_DAYS", 14))
    threads = _section(db.session.execute(queries.new_threads(user, since, until, size)),
                       lambda r: url_for("discussions.thread", slug=r.space_slug,
                                         thread_id=r.id, _external=True))
    answer_rows = db.session.execute(queries.active_threads(user, since, until, size)).all()
    answers = _section(answer_rows, lambda r: url_for("discussions.thread", slug=r.space_slug,
                                                      thread_id=r.id, _external=True))
    practices = _section(
        db.session.execute(queries.published_practices(user, since, until, max(size // 2, 1))),
        lambda r: url_for("practices.show", practice_id=r.id, _external=True))
    meetings = _section(db.session.execute(queries.upcoming_meetings(user, until, days, size)),
                        lambda r: url_for("meetings.show", meeting_id=r.id, _external=True))
    actions = _section(db.session.execute(queries.open_actions(user, size)),
                       lambda r: url_for("meetings.show", meeting_id=r.meeting_id,
                                         _external=True))
    return Digest(since=since, until=until, frequency=chosen or DEFAULT_FREQUENCY,
                  threads=threads, answers=answers,
                  answer_count=int(answer_rows[0].all_answers) if answer_rows else 0,
                  practices=practices, meetings=meetings, actions=actions,
                  notifications=_unread_notifications(user, since, until, size))


def _unread_notifications(user: User, since: datetime, until: datetime, size: int) -> Section:
    """What the notification path told the person in the window and they have not read yet
    (only what they may still see: the same filter as their notification list)."""
    window = (Notification.read_at.is_(None), Notification.created_at > since,
              Notification.created_at <= until)
    total = db.session.scalar(notification_queries.unread_count(user).where(
        Notification.created_at > since, Notification.created_at <= until)) or 0
    if not total:
        return Section()
    found = notification_queries.attach_subjects(db.session.scalars(
        notification_queries.listed(user).where(*window).limit(size)).all())
    with force_locale(user.locale or "it"):
        return Section([{"sentence": notifications.describe(n), "created_at": n.created_at,
                         "link": notifications.link_for(n)} for n in found], total)


@contextmanager
def in_request():
    """A request context for SERVER_URL around one person's digest: url_for gives absolute
    links, and cop.access caches the person's memberships for the clauses (forgotten after)."""
    base = current_app.config["SERVER_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        access.forget_ties()
        access.forget_meeting_rules()
        try:
            yield
        finally:
            access.forget_ties()
            access.forget_meeting_rules()


# --- the email -------------------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="cop-digest-unsubscribe")


def unsubscribe_token(user) -> str:
    """A signed token that only lets its holder turn the person's digests off: no expiry."""
    return _serializer().dumps({"u": user.id})


def read_unsubscribe_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return db.session.get(User, data["u"])


def unsubscribe(user) -> None:
    set_frequency(user, DigestFrequency.NEVER.value)


def message(user: User, digest: Digest):
    """The email of `digest`, in the person's language, with the unsubscribe headers."""
    locale = user.locale or "it"
    unsubscribe_link = url_for("digests.unsubscribe", token=unsubscribe_token(user),
                               _external=True)
    context = dict(
        user=user, digest=digest, today=local(digest.until).date(),
        unsubscribe_link=unsubscribe_link,
        preferences_link=url_for("notifications.preferences", _external=True),
        my_actions_link=url_for("meetings.my_actions", _external=True),
        calendar_link=url_for("meetings.calendar", _external=True))
    built = mail.build_message(user.email, "digest", locale=locale, **context)
    with force_locale(locale):  # the same, as HTML (Jinja escapes every title)
        html = render_template("email/digest.html", locale=locale,
                               subject=str(built["Subject"]), **context)
    built.add_alternative(html, subtype="html")
    # Room on the line for the URL: a folded header is not read by mail clients (RFC 8058).
    built.policy = built.policy.clone(max_line_length=998)
    built["List-Unsubscribe"] = f"<{unsubscribe_link}>"
    built["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    built["Auto-Submitted"] = "auto-generated"
    return built


# --- the person's data -----------------------------------------------------------------------

def export(user) -> dict:
    """The section «digests» of the person's data export (cop.account)."""
    settings = db.session.get(DigestSettings, user.id)
    return {"digests": {
        "frequency": settings.frequency if settings else DEFAULT_FREQUENCY,
        "covered_until": settings.covered_until.isoformat()
        if settings and settings.covered_until else None,
        "last_sent_at": settings.last_sent_at.isoformat()
        if settings and settings.last_sent_at else None,
    }}


def before_deletion(user) -> None:
    db.session.execute(delete(DigestSettings).where(DigestSettings.user_id == user.id))
