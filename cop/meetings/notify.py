"""What meetings tell people: invitations, changes, cancellations, minutes to review and
approved, actions assigned, and the reminders of actions coming due (`flask cop
send-reminders`, cli.py).

Members are told through the one notification path (cop.notifications: the bell, their email
choice, the daily summary, access checked again when shown or sent); the kinds are registered
by cop.meetings.notices, with the emails' context and calendar attachments defined here.
Invitations and changes carry an .ics with METHOD:REQUEST naming the recipient as ATTENDEE; a
cancellation one with METHOD:CANCEL and STATUS:CANCELLED; all with the meeting's UID and
SEQUENCE, so calendar programs update the event they already have. The reminders of due
actions are one email per owner, listing them all, sent by the command itself.

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
from cop.notifications import services as notifications

WHEN_FORMAT = "EEEE d MMMM y, HH:mm"  # «sabato 24 ottobre 2026, 10:00»
# The kinds of notification meetings give (cop.meetings.notices registers them).
INVITED, CHANGED, CANCELLED = "meeting_invited", "meeting_changed", "meeting_cancelled"
MINUTES_REVIEW, MINUTES_APPROVED = "minutes_review", "minutes_approved"
ACTION_ASSIGNED, ACTION_DUE = "action_assigned", "action_due"


# --- who is told -----------------------------------------------------------------------------

def _invited_ids(meeting: Meeting) -> list[int]:
    return list(db.session.scalars(select(MeetingInvitation.user_id).where(
        MeetingInvitation.meeting_id == meeting.id)))


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
    if meeting.is_cancelled:
        return
    notifications.notify(meeting, people, INVITED, actor=inviter, space_id=meeting.space_id)


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


def _guest_own_link(guest: MeetingGuest) -> str:
    """The guest's own answer link, computed again (calendar.guest_token_again); "" when it
    cannot be (a guest invited before links had a nonce: theirs is in the invitation)."""
    token = calendar.guest_token_again(guest)
    return guest_link(token) if token else ""


def _guest_link_for_calendar(guest: MeetingGuest) -> str:
    """A guest's calendar points at their answer link, else at the platform's home (the
    meeting's page needs an account)."""
    return _guest_own_link(guest) or mail.link("main.home")


def _guest_details(meeting: Meeting, guest: MeetingGuest) -> dict:
    """What the change and cancellation emails say to a guest: `link` is their own answer
    link, or "" (the email then points to the invitation's)."""
    return {**_details(meeting, guest), "link": _guest_own_link(guest), "guest": True}


def changed(meeting: Meeting, actor: User) -> None:
    """The time, place, mode or link changed: everybody invited gets the new event."""
    notifications.notify(meeting, _invited_ids(meeting), CHANGED, actor=actor,
                         space_id=meeting.space_id)
    for guest in _guests(meeting):
        message = mail.build_message(guest.email, "meeting_changed", locale="it",
                                     actor=actor.name, **_guest_details(meeting, guest))
        _queue(_with_ics(message, meeting, guest, "REQUEST", guest.answer,
                         link=_guest_link_for_calendar(guest)))


def cancelled(meeting: Meeting, actor: User, reason: str = "") -> None:
    notifications.notify(meeting, _invited_ids(meeting), CANCELLED, actor=actor,
                         text=(reason or "").strip(), space_id=meeting.space_id)
    for guest in _guests(meeting):
        message = mail.build_message(guest.email, "meeting_cancelled", locale="it",
                                     actor=actor.name, reason=(reason or "").strip(),
                                     **_guest_details(meeting, guest))
        _queue(_with_ics(message, meeting, guest, "CANCEL", guest.answer,
                         link=_guest_link_for_calendar(guest)))


def minutes_for_review(meeting: Meeting, actor: User, people) -> None:
    """The participants are asked to read the minutes and approve or comment on them."""
    notifications.notify(meeting, people, MINUTES_REVIEW, actor=actor, space_id=meeting.space_id)


def minutes_approved(meeting: Meeting, actor: User, people) -> None:
    notifications.notify(meeting, people, MINUTES_APPROVED, actor=actor,
                         space_id=meeting.space_id)


def action_assigned(action: Action, actor: User) -> None:
    """The owner of a new action hears of it (not when they wrote it themself)."""
    if action.owner_id:
        notifications.notify(action, [action.owner_id], ACTION_ASSIGNED, actor=actor,
                             space_id=action.space_id)


# --- what the notifications' emails carry (cop.meetings.notices registers them) ------------

def email_details(user, notification, meeting, actor) -> dict:
    """The meeting emails' context for a member (the templates are shared with guests)."""
    return {**_details(meeting, user), "actor": actor.name if actor else "",
            "inviter": actor.name if actor else "", "reason": notification.text or ""}


def attach_request(message, user, notification, meeting) -> None:
    """The invitation or the changed event, with the person's answer so far."""
    answer = db.session.scalar(select(MeetingInvitation.answer).where(
        MeetingInvitation.meeting_id == meeting.id, MeetingInvitation.user_id == user.id))
    _with_ics(message, meeting, user, "REQUEST", answer)


def attach_cancel(message, user, notification, meeting) -> None:
    answer = db.session.scalar(select(MeetingInvitation.answer).where(
        MeetingInvitation.meeting_id == meeting.id, MeetingInvitation.user_id == user.id))
    _with_ics(message, meeting, user, "CANCEL", answer)


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
        User.id.in_(select(Action.owner_id).where(*pending)), User.active.is_(True))
        .order_by(User.id)).all()
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


def remind_in_the_bell(owner: User, actions: list[Action]) -> None:
    """Each action coming due in the owner's notifications, and marked as reminded of for its
    due date (the email, when the owner wants it, is `reminder_message`'s)."""
    for action in actions:
        notifications.notify(action, [owner], ACTION_DUE, space_id=action.space_id)
        action.reminded_for = action.due_date


def reminder_message(owner: User, actions: list[Action], today: date):
    locale = owner.locale or "it"
    rows = [{"title": a.title, "due": format_date(a.due_date, "EEEE d MMMM y", locale=locale),
             "overdue": a.due_date < today, "today": a.due_date == today,
             "meeting": a.meeting.title,
             "link": calendar.meeting_link(a.meeting)} for a in actions]
    return mail.build_message(owner.email, "meeting_reminder", locale=locale, person=owner,
                              actions=rows, count=len(rows),
                              my_actions=mail.link("meetings.my_actions"))
