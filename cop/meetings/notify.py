"""The meeting emails: invitations, changes, cancellations, minutes to review and approved,
and the reminders of actions coming due (sent by `flask cop send-reminders`, cli.py).

Called by the services inside their transaction: messages are queued and leave after commit
(cop/mail.py). Each goes in the recipient's language, only to active people who may see the
meeting (the same SQL rule as the pages) and who did not turn emails off, never to the person
who acted. Invitations and changes carry an .ics with METHOD:REQUEST naming the recipient as
ATTENDEE; a cancellation one with METHOD:CANCEL and STATUS:CANCELLED; all with the meeting's
UID and SEQUENCE, so calendar programs update the event they already have.

Guests (people without an account, `MeetingGuest`) get the invitation with their own answer
link instead of the meeting's page, and every change and cancellation, in Italian.
"""
from __future__ import annotations

from datetime import date, timedelta

from babel.dates import format_date, format_datetime
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from cop import access, mail
from cop.auth.models import User
from cop.extensions import db
from cop.meetings import calendar
from cop.meetings.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Meeting,
    MeetingGuest,
    MeetingInvitation,
)
from cop.meetings.times import ROME, local
from cop.notifications.models import DEFAULT_FREQUENCY, EmailFrequency, NotificationSettings

WHEN_FORMAT = "EEEE d MMMM y, HH:mm"  # «sabato 24 ottobre 2026, 10:00»


# --- who is told -----------------------------------------------------------------------------

def _wants_email_clause():
    """SQL on User: the email preference is not «never» (cop.notifications' rule)."""
    never = EmailFrequency.NEVER.value
    if DEFAULT_FREQUENCY == never:
        return User.id.in_(select(NotificationSettings.user_id).where(
            NotificationSettings.email_frequency != never))
    return User.id.not_in(select(NotificationSettings.user_id).where(
        NotificationSettings.email_frequency == never))


def recipients(meeting: Meeting, among, actor: User | None = None) -> list[User]:
    """The people of `among` (a condition on User) who should get an email about `meeting`."""
    statement = select(User).where(
        among, User.active.is_(True), access.users_who_see_meeting_clause(meeting),
        _wants_email_clause())
    if actor is not None:
        statement = statement.where(User.id != actor.id)
    return list(db.session.scalars(statement.order_by(User.id)))


def _invited_clause(meeting: Meeting):
    return User.id.in_(select(MeetingInvitation.user_id).where(
        MeetingInvitation.meeting_id == meeting.id))


def _answers(meeting: Meeting) -> dict[int, str | None]:
    return dict(db.session.execute(select(MeetingInvitation.user_id, MeetingInvitation.answer)
                                   .where(MeetingInvitation.meeting_id == meeting.id)).all())


# --- how it reads ----------------------------------------------------------------------------

def when(meeting: Meeting, locale: str = "it") -> str:
    """«sabato 24 ottobre 2026, 10:00–12:00» in Europe/Rome (the end in full on another day)."""
    start, end = local(meeting.starts_at), local(meeting.ends_at)
    text = format_datetime(start, WHEN_FORMAT, tzinfo=ROME, locale=locale)
    if end.date() == start.date():
        return f"{text}–{format_datetime(end, 'HH:mm', tzinfo=ROME, locale=locale)}"
    return f"{text} – {format_datetime(end, WHEN_FORMAT, tzinfo=ROME, locale=locale)}"


def _details(meeting: Meeting, person) -> dict:
    locale = person.locale or "it"
    return {"meeting": meeting, "person": person, "space": calendar.space_of(meeting),
            "when": when(meeting, locale), "place": meeting.place,
            "starts": format_datetime(local(meeting.starts_at), WHEN_FORMAT, tzinfo=ROME,
                                      locale=locale),
            "online_url": meeting.online_url if meeting.mode != "presenza" else "",
            "link": calendar.meeting_link(meeting)}


def _with_ics(message, meeting: Meeting, person, method: str, answer: str | None = None,
              link: str | None = None):
    with force_locale(person.locale or "it"):
        event = calendar.meeting_event(meeting, attendee=person, answer=answer, link=link)
        ics = calendar.calendar_bytes([], method=method, name=meeting.title, events=[event])
    message.add_attachment(ics, maintype="text", subtype="calendar",
                           filename="invito.ics" if method == "REQUEST" else "annullamento.ics",
                           params={"method": method, "charset": "utf-8"})
    return message


def _queue(message) -> None:
    mail.queue(db.session, message)


# --- the emails ------------------------------------------------------------------------------

def invited(meeting: Meeting, people, inviter: User) -> None:
    """To the people just invited (not to the inviter, who invited themself)."""
    ids = [p.id for p in people]
    if not ids or meeting.is_cancelled:
        return
    inviter_name = inviter.name if inviter is not None else ""
    for person in recipients(meeting, User.id.in_(ids), inviter):
        message = mail.build_message(person.email, "meeting_invited", locale=person.locale,
                                     inviter=inviter_name, **_details(meeting, person))
        _queue(_with_ics(message, meeting, person, "REQUEST"))


def guest_link(token: str) -> str:
    return mail.link("feeds.guest_answer", token=token)


def _guests(meeting: Meeting) -> list[MeetingGuest]:
    return list(db.session.scalars(select(MeetingGuest).where(
        MeetingGuest.meeting_id == meeting.id).order_by(MeetingGuest.id)))


def guests_invited(meeting: Meeting, guests_and_tokens, inviter: User) -> None:
    """To guests just invited: the invitation without the sign-in page, with their own answer
    link (the token exists only here and in the email) and the .ics."""
    if meeting.is_cancelled:
        return
    inviter_name = inviter.name if inviter is not None else ""
    for guest, token in guests_and_tokens:
        link = guest_link(token)
        details = {**_details(meeting, guest), "link": link}
        message = mail.build_message(guest.email, "meeting_invited", locale="it",
                                     inviter=inviter_name, guest=True, **details)
        _queue(_with_ics(message, meeting, guest, "REQUEST", link=link))


def _guest_link_for_calendar(meeting: Meeting) -> str:
    """Guests' calendars point at the platform's home: the meeting's page needs an account."""
    return mail.link("main.home")


def changed(meeting: Meeting, actor: User) -> None:
    """The time, place, mode or link changed: everybody invited gets the new event."""
    answers = _answers(meeting)
    for person in recipients(meeting, _invited_clause(meeting), actor):
        message = mail.build_message(person.email, "meeting_changed", locale=person.locale,
                                     actor=actor.name, **_details(meeting, person))
        _queue(_with_ics(message, meeting, person, "REQUEST", answers.get(person.id)))
    for guest in _guests(meeting):
        message = mail.build_message(guest.email, "meeting_changed", locale="it",
                                     actor=actor.name, guest=True, **_details(meeting, guest))
        _queue(_with_ics(message, meeting, guest, "REQUEST", guest.answer,
                         link=_guest_link_for_calendar(meeting)))


def cancelled(meeting: Meeting, actor: User, reason: str = "") -> None:
    answers = _answers(meeting)
    for person in recipients(meeting, _invited_clause(meeting), actor):
        message = mail.build_message(person.email, "meeting_cancelled", locale=person.locale,
                                     actor=actor.name, reason=(reason or "").strip(),
                                     **_details(meeting, person))
        _queue(_with_ics(message, meeting, person, "CANCEL", answers.get(person.id)))
    for guest in _guests(meeting):
        message = mail.build_message(guest.email, "meeting_cancelled", locale="it",
                                     actor=actor.name, reason=(reason or "").strip(), guest=True,
                                     **_details(meeting, guest))
        _queue(_with_ics(message, meeting, guest, "CANCEL", guest.answer,
                         link=_guest_link_for_calendar(meeting)))


def minutes_for_review(meeting: Meeting, actor: User, people) -> None:
    """The participants are asked to read the minutes and approve or comment on them."""
    _minutes_email(meeting, actor, people, "meeting_minutes_review")


def minutes_approved(meeting: Meeting, actor: User, people) -> None:
    _minutes_email(meeting, actor, people, "meeting_minutes_approved")


def _minutes_email(meeting: Meeting, actor: User, people, template: str) -> None:
    ids = [p.id for p in people]
    if not ids:
        return
    for person in recipients(meeting, User.id.in_(ids), actor):
        _queue(mail.build_message(person.email, template, locale=person.locale,
                                  actor=actor.name, **_details(meeting, person)))


# --- reminders of actions --------------------------------------------------------------------

def reminder_window(today: date) -> tuple[date, date]:
    """Due dates reminded of on `today`: up to MEETINGS_REMINDER_DAYS ahead (today included),
    and overdue by at most MEETINGS_REMINDER_OVERDUE_DAYS."""
    config = current_app.config
    ahead = int(config.get("MEETINGS_REMINDER_DAYS", 3))
    behind = int(config.get("MEETINGS_REMINDER_OVERDUE_DAYS", 7))
    return today - timedelta(days=behind), today + timedelta(days=ahead)


def due_reminders(today: date) -> list[tuple[User, list[Action]]]:
    """Each owner with their open actions coming due (or just overdue) not yet reminded of for
    this due date, only where the owner may still see the meeting; the meetings loaded."""
    first, last = reminder_window(today)
    pending = (Action.status.in_(OPEN_ACTION_STATUSES), Action.owner_id.is_not(None),
               Action.due_date.is_not(None), Action.due_date >= first, Action.due_date <= last,
               (Action.reminded_for.is_(None)) | (Action.reminded_for != Action.due_date))
    owners = db.session.scalars(select(User).where(
        User.id.in_(select(Action.owner_id).where(*pending)), User.active.is_(True),
        _wants_email_clause()).order_by(User.id)).all()
    result = []
    for owner in owners:
        actions = db.session.scalars(
            select(Action).join(Meeting, Meeting.id == Action.meeting_id)
            .options(contains_eager(Action.meeting))
            .where(*pending, Action.owner_id == owner.id,
                   access.visible_actions_clause(owner))
            .order_by(Action.due_date, Action.id)).all()
        if actions:
            result.append((owner, list(actions)))
    return result


def reminder_message(owner: User, actions: list[Action], today: date):
    locale = owner.locale or "it"
    rows = [{"title": a.title, "due": format_date(a.due_date, "EEEE d MMMM y", locale=locale),
             "overdue": a.due_date < today, "today": a.due_date == today,
             "meeting": a.meeting.title,
             "link": calendar.meeting_link(a.meeting)} for a in actions]
    return mail.build_message(owner.email, "meeting_reminder", locale=locale, person=owner,
                              actions=rows, count=len(rows),
                              my_actions=mail.link("meetings.my_actions"))
