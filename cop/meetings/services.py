"""Writes on meetings. Never commits: the view (or the command) does, once.

Planning writes the meeting with its agenda and facilitators; a change a calendar must hear
of (time, place, mode, link) or a cancellation raises `sequence` and tells the invited people
with an .ics (notify.py). The register, the minutes, decisions and actions keep the stored
counters on the meeting; each step of the minutes (sent for review, approved) leaves a
`MinutesVersion`.

Every write of the minutes (text, register, decisions, actions, an action's due date, the
agenda's titles once approved) goes through `_write_minutes`: it records the writer as an
author, who may not approve them, and turns approved minutes into an amendment (back to
draft; readers keep the latest approved version until the amendment is approved). An
action's progress (its status) is not a change of the minutes. The register and the minutes
wait for the meeting's start (`_started`); an action is due on its meeting's day or later,
unless recorded as already done (`_check_due`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select

from cop import access
from cop.auth.models import User
from cop.database import utcnow
from cop.errors import ServiceError
from cop.extensions import db
from cop.files import services as files
from cop.files.models import Attachment
from cop.markdown import render_markdown
from cop.meetings import calendar, notify, queries
from cop.meetings import series as series_agenda
from cop.meetings.models import (
    ITEM_OWNER_TYPE,
    OWNER_TYPE,
    Action,
    ActionStatus,
    AgendaItem,
    Answer,
    Attendance,
    Decision,
    Feedback,
    Meeting,
    MeetingFacilitator,
    MeetingGuest,
    MeetingInvitation,
    MeetingSeries,
    MeetingStatus,
    MinutesAuthor,
    MinutesReview,
    MinutesStatus,
    MinutesVersion,
    Presence,
)
from cop.meetings.times import local, occurrence_days, to_utc
from cop.spaces.models import Membership, Space
from cop.text import one_line
from cop.tokens import hash_token


def meeting_of_attachment(owner_id: int) -> Meeting | None:
    """The owner of an attachment of OWNER_TYPE (for cop.access, registered by wiring)."""
    return db.session.get(Meeting, owner_id)


def meeting_of_item_attachment(item_id: int) -> Meeting | None:
    """The meeting of an agenda item's attachment (ITEM_OWNER_TYPE): the item's meeting."""
    item = db.session.get(AgendaItem, item_id)
    return db.session.get(Meeting, item.meeting_id) if item is not None else None
CALENDAR_FIELDS = ("starts_at", "ends_at", "place", "online_url", "mode")


@dataclass
class AgendaRow:
    title: str
    presenter: str = ""
    planned_minutes: int | None = None


@dataclass
class MeetingInput:
    title: str
    kind: str
    mode: str
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    online_url: str = ""
    description: str = ""
    minute_taker_id: int | None = None
    facilitator_ids: list[int] = field(default_factory=list)
    agenda: list[AgendaRow] = field(default_factory=list)


# --- planning --------------------------------------------------------------------------------

def _check(data: MeetingInput) -> None:
    if data.ends_at <= data.starts_at:
        raise ServiceError(str(_l("La fine deve venire dopo l'inizio.")))


def _write_fields(meeting: Meeting, data: MeetingInput) -> None:
    for name in ("title", "kind", "mode", "starts_at", "ends_at", "place", "online_url",
                 "description", "minute_taker_id"):
        setattr(meeting, name, getattr(data, name))
    meeting.description_html = render_markdown(data.description)


def _write_facilitators(meeting: Meeting, user_ids: list[int]) -> None:
    wanted = list(dict.fromkeys(user_ids))
    db.session.execute(delete(MeetingFacilitator).where(
        MeetingFacilitator.meeting_id == meeting.id,
        MeetingFacilitator.user_id.not_in(wanted) if wanted else True))
    have = set(db.session.scalars(select(MeetingFacilitator.user_id).where(
        MeetingFacilitator.meeting_id == meeting.id)))
    for user_id in wanted:
        if user_id not in have:
            db.session.add(MeetingFacilitator(meeting_id=meeting.id, user_id=user_id))


def _write_agenda(meeting: Meeting, rows: list[AgendaRow]) -> bool:
    """Items keep their id (and so their minutes, decisions, files) when only their text
    changes: rows are matched to the existing items by position. True if the titles changed
    (the minutes show them)."""
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                               .order_by(AgendaItem.position)).all()
    titles = [item.title for item in items]
    for position, row in enumerate(rows):
        item = items[position] if position < len(items) else None
        if item is None:
            item = AgendaItem(meeting_id=meeting.id)
            db.session.add(item)
        if item.role and item.title != row.title:  # no longer the item a series wrote
            item.role, item.previous_meeting_id = "", None
        item.position, item.title = position, row.title
        item.presenter, item.planned_minutes = row.presenter, row.planned_minutes
    for item in items[len(rows):]:
        if item.minutes:
            raise ServiceError(str(_l("Il punto «%(title)s» ha già un verbale: non si può "
                                      "togliere dall'ordine del giorno.", title=item.title)))
        db.session.delete(item)
    return titles != [row.title for row in rows]


def plan_meeting(space: Space, user: User, data: MeetingInput,
                 series: MeetingSeries | None = None) -> Meeting:
    if not access.may_plan_meetings(user, space):
        raise ServiceError(str(_l("Non puoi programmare incontri in questo spazio.")))
    _check(data)
    meeting = Meeting(space_id=space.id, created_by_id=user.id,
                      series_id=series.id if series else None)
    _write_fields(meeting, data)
    db.session.add(meeting)
    db.session.flush()
    _write_facilitators(meeting, data.facilitator_ids or [user.id])
    _write_agenda(meeting, data.agenda)
    db.session.flush()
    return meeting


def plan_series(space: Space, user: User, data: MeetingInput, frequency: str,
                occurrences: int) -> list[Meeting]:
    """The meetings of a series, each at the same local time on its day (across DST)."""
    if not 2 <= occurrences <= 52:
        raise ServiceError(str(_l("Una serie ha da 2 a 52 incontri.")))
    start, end = local(data.starts_at), local(data.ends_at)
    series = MeetingSeries(
        space_id=space.id, title=data.title, frequency=frequency, occurrences=occurrences,
        created_by_id=user.id, agenda_template="\n".join(
            f"{r.title} | {r.presenter} | {r.planned_minutes or ''}" for r in data.agenda))
    db.session.add(series)
    db.session.flush()
    meetings = []
    for day in occurrence_days(start.date(), frequency, occurrences):
        shift = day - start.date()
        one = MeetingInput(**{**data.__dict__, "agenda": list(data.agenda),
                              "starts_at": to_utc(day, start.time()),
                              "ends_at": to_utc(end.date() + shift, end.time())})
        meetings.append(plan_meeting(space, user, one, series))
    for meeting in meetings[1:]:  # approval of the previous minutes, open actions
        series_agenda.prepare_agenda(meeting)
    return meetings


def update_meeting(meeting: Meeting, user: User, data: MeetingInput) -> Meeting:
    _check(data)
    before = {name: getattr(meeting, name) for name in CALENDAR_FIELDS}
    _write_fields(meeting, data)
    _write_facilitators(meeting, data.facilitator_ids or [user.id])
    if _write_agenda(meeting, data.agenda) and meeting.minutes_published:
        _write_minutes(meeting, user)
    meeting.updated_at = utcnow()
    if any(getattr(meeting, name) != value for name, value in before.items()):
        meeting.sequence += 1
        db.session.flush()
        notify.changed(meeting, user)
    db.session.flush()
    access.forget_meeting_rules()
    return meeting


def cancel_meeting(meeting: Meeting, user: User, reason: str = "") -> None:
    if meeting.is_cancelled:
        return
    meeting.status = MeetingStatus.CANCELLED.value
    meeting.sequence += 1
    meeting.updated_at = utcnow()
    db.session.flush()
    notify.cancelled(meeting, user, reason)
    access.forget_meeting_rules()


# --- invitations and answers -----------------------------------------------------------------

def invite(meeting: Meeting, user: User, *, members: bool = False, user_ids=(),
           organisation_ids=()) -> list[User]:
    """Invites the space's members and/or chosen people and organisations (their active
    people); returns those newly invited, who are emailed."""
    clauses = []
    if members:
        clauses.append(User.id.in_(select(Membership.user_id).where(
            Membership.space_id == meeting.space_id)))
    if user_ids:
        clauses.append(User.id.in_(list(user_ids)))
    if organisation_ids:
        clauses.append(User.organisation_id.in_(list(organisation_ids)))
    if not clauses:
        return []

    already = select(MeetingInvitation.user_id).where(MeetingInvitation.meeting_id == meeting.id)
    people = db.session.scalars(select(User).where(
        or_(*clauses), User.active.is_(True), User.id.not_in(already)).order_by(User.name)).all()
    for person in people:
        db.session.add(MeetingInvitation(meeting_id=meeting.id, user_id=person.id,
                                         invited_by_id=user.id))
    db.session.flush()
    _count_answers(meeting)
    access.forget_meeting_rules()
    if people and not meeting.is_cancelled and not meeting.has_ended(utcnow()):
        notify.invited(meeting, people, user)
    return list(people)


def uninvite(meeting: Meeting, user_id: int) -> None:
    db.session.execute(delete(MeetingInvitation).where(
        MeetingInvitation.meeting_id == meeting.id, MeetingInvitation.user_id == user_id))
    _count_answers(meeting)
    access.forget_meeting_rules()


def _count_answers(meeting: Meeting) -> None:
    """The stored counters count everybody asked to come: invited people and guests."""
    rows: dict = {}
    for model in (MeetingInvitation, MeetingGuest):
        for value, count in db.session.execute(
                select(model.answer, func.count()).where(model.meeting_id == meeting.id)
                .group_by(model.answer)).all():
            rows[value] = rows.get(value, 0) + count
    meeting.invited_count = sum(rows.values())
    meeting.yes_count = rows.get(Answer.YES.value, 0)
    meeting.no_count = rows.get(Answer.NO.value, 0)
    meeting.maybe_count = rows.get(Answer.MAYBE.value, 0)


def answer(meeting: Meeting, user: User, value: str) -> MeetingInvitation:
    """«partecipo / non partecipo / forse»; a member who was not invited registers so."""
    if value not in {a.value for a in Answer}:
        raise ServiceError(str(_l("Risposta non valida.")))
    invitation = db.session.scalar(select(MeetingInvitation).where(
        MeetingInvitation.meeting_id == meeting.id, MeetingInvitation.user_id == user.id))
    if invitation is None:
        invitation = MeetingInvitation(meeting_id=meeting.id, user_id=user.id)
        db.session.add(invitation)
    invitation.answer, invitation.answered_at = value, utcnow()
    db.session.flush()
    _count_answers(meeting)
    access.forget_meeting_rules()
    return invitation


# --- guests: people without an account, invited by email ----------------------------------

MAX_GUESTS_PER_INVITE = 50


def invite_guests(meeting: Meeting, user: User, emails) -> list[MeetingGuest]:
    """Invites by email people who have no account (the view sends the addresses of active
    accounts to `invite`); an address already invited is skipped. Each new guest gets the
    invitation with the .ics and their own answer link; returns the new guests."""
    emails = list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))
    if not emails:
        return []
    already = set(db.session.scalars(select(MeetingGuest.email).where(
        MeetingGuest.meeting_id == meeting.id, MeetingGuest.email.in_(emails))))
    guests, tokens = [], {}
    for email in emails:
        if email in already:
            continue
        nonce = calendar.new_guest_nonce()
        raw = calendar.guest_token(meeting.id, nonce)
        guest = MeetingGuest(meeting_id=meeting.id, email=email, token_hash=hash_token(raw),
                             link_nonce=nonce, invited_by_id=user.id)
        db.session.add(guest)
        guests.append(guest)
        tokens[email] = raw
    db.session.flush()
    _count_answers(meeting)
    if guests and not meeting.is_cancelled and not meeting.has_ended(utcnow()):
        notify.guests_invited(meeting, [(g, tokens[g.email]) for g in guests], user)
    return guests


def guest_for_token(token: str) -> MeetingGuest | None:
    """The guest whose answer link this is, while the meeting has not ended; else None."""
    if not token or len(token) > 200:
        return None
    guest = db.session.scalar(select(MeetingGuest).where(
        MeetingGuest.token_hash == hash_token(token)))
    if guest is None:
        return None
    meeting = db.session.get(Meeting, guest.meeting_id)
    if meeting is None or meeting.has_ended(utcnow()):
        return None
    return guest


def guest_answer(guest: MeetingGuest, value: str) -> MeetingGuest:
    meeting = db.session.get(Meeting, guest.meeting_id)
    if value not in {a.value for a in Answer}:
        raise ServiceError(str(_l("Risposta non valida.")))
    if meeting.is_cancelled:
        raise ServiceError(str(_l("L'incontro è stato annullato.")))
    guest.answer, guest.answered_at = value, utcnow()
    db.session.flush()
    _count_answers(meeting)
    return guest


def uninvite_guest(meeting: Meeting, guest_id: int) -> None:
    """The guest's row goes, and with it their answer link (and their row of the register)."""
    db.session.execute(delete(MeetingGuest).where(
        MeetingGuest.meeting_id == meeting.id, MeetingGuest.id == guest_id))
    _count_answers(meeting)
    _count_present(meeting)


# --- register, minutes, decisions, actions ---------------------------------------------------

def _started(meeting: Meeting) -> None:
    """The register and the minutes tell what happened: they are taken, written, reviewed and
    approved from the meeting's start. (Decisions and actions on their own are not held to
    it here; the minutes page saves the notes with them, so it refuses them too.)"""
    if not meeting.has_started(utcnow()):
        raise ServiceError(str(_l(
            "L'incontro non è ancora cominciato: il registro e il verbale si scrivono, si "
            "rivedono e si approvano dal suo inizio, il %(when)s.",
            when=f'{format_date(local(meeting.starts_at), "d MMMM y")}, '
                 f'{local(meeting.starts_at):%H:%M}')))


def _write_minutes(meeting: Meeting, user: User) -> None:
    """Before any change of the minutes: `user` becomes one of their authors, and approved
    minutes become an amendment, in draft (they are locked: what was approved stays shown to
    readers until the amendment is approved in turn)."""
    if meeting.minutes_approved:
        meeting.minutes_status = MinutesStatus.DRAFT.value
    if db.session.get(MinutesAuthor, (meeting.id, user.id)) is None:
        db.session.add(MinutesAuthor(meeting_id=meeting.id, user_id=user.id))
        db.session.flush()
    access.forget_meeting_rules()


def record_attendance(meeting: Meeting, user: User, rows: dict[int, tuple[str, str]],
                      newcomers=(), guests: dict[int, tuple[str, str, str]] | None = None) -> None:
    """`rows`: user id -> (presence, organisation name); an empty presence removes the row.
    `newcomers`: people who came without an invitation from outside the space: present, and
    invited (no email) so that they see the meeting and review its minutes.
    `guests`: guest id -> (presence, organisation name, name), the guests' rows of the same
    register (an empty presence: not recorded); guests not named are left as they are."""
    _started(meeting)
    _write_minutes(meeting, user)
    rows = dict(rows)
    invited = set(db.session.scalars(select(MeetingInvitation.user_id).where(
        MeetingInvitation.meeting_id == meeting.id)))
    for person in db.session.scalars(select(User).where(User.id.in_(list(newcomers)))):
        rows[person.id] = (Presence.PRESENT.value, person.organisation.name)
        if person.id not in invited:
            db.session.add(MeetingInvitation(meeting_id=meeting.id, user_id=person.id,
                                             invited_by_id=user.id))
    if newcomers:
        db.session.flush()
        _count_answers(meeting)
    existing = {a.user_id: a for a in db.session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting.id))}
    valid = {p.value for p in Presence}
    for user_id, (presence, organisation) in rows.items():
        row = existing.get(user_id)
        if not presence:
            if row is not None:
                db.session.delete(row)
            continue
        if presence not in valid:
            raise ServiceError(str(_l("Presenza non valida.")))
        if row is None:
            row = Attendance(meeting_id=meeting.id, user_id=user_id)
            db.session.add(row)
        row.presence, row.organisation_name = presence, organisation[:200]
    _record_guests(meeting, guests or {}, valid)
    db.session.flush()
    _count_present(meeting)
    access.forget_meeting_rules()


def _record_guests(meeting: Meeting, rows: dict[int, tuple[str, str, str]], valid) -> None:
    if not rows:
        return
    for guest in db.session.scalars(select(MeetingGuest).where(
            MeetingGuest.meeting_id == meeting.id, MeetingGuest.id.in_(list(rows)))):
        presence, organisation, name = rows[guest.id]
        if presence and presence not in valid:
            raise ServiceError(str(_l("Presenza non valida.")))
        guest.presence = presence or None
        guest.organisation_name = one_line(organisation).strip()[:200] if presence else ""
        guest.name = one_line(name).strip()[:200]  # their emails greet them with it


def _count_present(meeting: Meeting) -> None:
    """Present in the register: people and guests."""
    meeting.present_count = db.session.scalar(select(func.count()).where(
        Attendance.meeting_id == meeting.id, Attendance.presence == Presence.PRESENT.value)) \
        + db.session.scalar(select(func.count()).where(
            MeetingGuest.meeting_id == meeting.id,
            MeetingGuest.presence == Presence.PRESENT.value))


def save_minutes(meeting: Meeting, user: User, summary: str, item_minutes: dict[int, str]) -> None:
    """Writes the notes and the minutes of each item (once approved: an amendment)."""
    _started(meeting)
    _write_minutes(meeting, user)
    meeting.minutes_summary = summary
    meeting.minutes_summary_html = render_markdown(summary)
    for item in db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)):
        if item.id in item_minutes:
            item.minutes = item_minutes[item.id]
            item.minutes_html = render_markdown(item.minutes)
    meeting.updated_at = utcnow()
    db.session.flush()


def _item_of(meeting: Meeting, item_id: int | None) -> int | None:
    if item_id is None:
        return None
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise ServiceError(str(_l("Punto dell'ordine del giorno non trovato.")))
    return item.id


def add_decision(meeting: Meeting, user: User, text: str,
                 item_id: int | None = None) -> Decision:
    _write_minutes(meeting, user)
    decision = Decision(meeting_id=meeting.id, agenda_item_id=_item_of(meeting, item_id),
                        text=text.strip())
    db.session.add(decision)
    db.session.flush()
    return decision


def remove_decision(meeting: Meeting, user: User, decision_id: int) -> None:
    _write_minutes(meeting, user)
    db.session.execute(delete(Decision).where(Decision.id == decision_id,
                                              Decision.meeting_id == meeting.id))


def _check_due(meeting: Meeting, due_date: date | None, done: bool) -> None:
    """An action comes out of its meeting: it is due on the meeting's day or later, unless
    it is recorded as already done."""
    day = local(meeting.starts_at).date()
    if due_date is not None and due_date < day and not done:
        raise ServiceError(str(_l(
            "Un'azione non può scadere prima dell'incontro (%(day)s): scegli una data "
            "successiva, o segnala che è già fatta.", day=format_date(day, "d MMMM y"))))


def add_action(meeting: Meeting, user: User, title: str, owner_id: int | None,
               due_date: date | None, item_id: int | None = None, done: bool = False) -> Action:
    _check_due(meeting, due_date, done)
    _write_minutes(meeting, user)
    action = Action(meeting_id=meeting.id, space_id=meeting.space_id, title=title.strip(),
                    owner_id=owner_id, due_date=due_date,
                    status=(ActionStatus.DONE if done else ActionStatus.OPEN).value,
                    agenda_item_id=_item_of(meeting, item_id))
    db.session.add(action)
    db.session.flush()
    _count_actions(meeting)
    if not done:
        notify.action_assigned(action, user)
    return action


def update_action(action: Action, status: str) -> None:
    """How far the action got: its owner's progress, not a change of the minutes."""
    if status not in {s.value for s in ActionStatus}:
        raise ServiceError(str(_l("Stato non valido.")))
    action.status = status
    action.updated_at = utcnow()
    db.session.flush()
    _count_actions(db.session.get(Meeting, action.meeting_id))


def reschedule_action(action: Action, user: User, due_date: date | None) -> None:
    """A new due date is a change of the minutes (an amendment, once they are approved)."""
    if due_date == action.due_date:
        return
    meeting = db.session.get(Meeting, action.meeting_id)
    _check_due(meeting, due_date, action.status == ActionStatus.DONE.value)
    _write_minutes(meeting, user)
    action.due_date = due_date
    action.updated_at = utcnow()
    db.session.flush()


def remove_action(meeting: Meeting, user: User, action_id: int) -> None:
    _write_minutes(meeting, user)
    db.session.execute(delete(Action).where(Action.id == action_id,
                                            Action.meeting_id == meeting.id))
    _count_actions(meeting)


def _count_actions(meeting: Meeting) -> None:
    meeting.action_count = db.session.scalar(select(func.count()).where(
        Action.meeting_id == meeting.id))


def snapshot_data(meeting: Meeting) -> dict:
    """The minutes as they stand: notes, items, register, decisions and actions."""
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                               .order_by(AgendaItem.position)).all()
    register = db.session.execute(
        select(User.name, Attendance.presence, Attendance.organisation_name)
        .join(User, User.id == Attendance.user_id)
        .where(Attendance.meeting_id == meeting.id).order_by(User.name)).all()
    guests = queries.guest_attendance(meeting.id)
    decisions = db.session.scalars(select(Decision).where(Decision.meeting_id == meeting.id)
                                   .order_by(Decision.id)).all()
    actions = db.session.execute(
        select(Action, User.name).outerjoin(User, User.id == Action.owner_id)
        .where(Action.meeting_id == meeting.id).order_by(Action.id)).all()
    titles = {item.id: item.title for item in items}
    return {
        "summary": meeting.minutes_summary,
        "items": [{"title": i.title, "minutes": i.minutes} for i in items],
        "attendance": [{"name": n, "presence": p, "organisation": o} for n, p, o in register]
        + [{"name": g.shown_name, "presence": g.presence, "organisation": g.organisation_name,
            "guest": True} for g in guests],
        "decisions": [{"text": d.text, "item": titles.get(d.agenda_item_id, "")}
                      for d in decisions],
        "actions": [{"title": a.title, "owner": owner or "", "status": a.status,
                     "due": a.due_date.isoformat() if a.due_date else ""}
                    for a, owner in actions],
    }


def _snapshot(meeting: Meeting, user: User) -> MinutesVersion:
    meeting.minutes_version_count += 1
    version = MinutesVersion(meeting_id=meeting.id, number=meeting.minutes_version_count,
                             status=meeting.minutes_status, author_id=user.id,
                             data=json.dumps(snapshot_data(meeting), ensure_ascii=False))
    db.session.add(version)
    db.session.flush()
    return version


def participants(meeting: Meeting) -> list[User]:
    """Present in the register; before it is taken, those who answered «partecipo»."""
    has_register = db.session.scalar(select(func.count()).where(
        Attendance.meeting_id == meeting.id)) > 0
    if has_register:
        ids = select(Attendance.user_id).where(Attendance.meeting_id == meeting.id,
                                               Attendance.presence == Presence.PRESENT.value)
    else:
        ids = select(MeetingInvitation.user_id).where(
            MeetingInvitation.meeting_id == meeting.id,
            MeetingInvitation.answer == Answer.YES.value)
    return list(db.session.scalars(select(User).where(User.id.in_(ids), User.active.is_(True))
                                   .order_by(User.name)))


def send_minutes_for_review(meeting: Meeting, user: User) -> None:
    if meeting.minutes_status != MinutesStatus.DRAFT.value:
        raise ServiceError(str(_l("Il verbale non è in bozza.")))
    _started(meeting)
    meeting.minutes_status = MinutesStatus.REVIEW.value
    db.session.execute(delete(MinutesReview).where(MinutesReview.meeting_id == meeting.id))
    _snapshot(meeting, user)
    access.forget_meeting_rules()
    notify.minutes_for_review(meeting, user, participants(meeting))


def back_to_draft(meeting: Meeting) -> None:
    if meeting.minutes_status != MinutesStatus.REVIEW.value:
        raise ServiceError(str(_l("Il verbale non è in revisione.")))
    meeting.minutes_status = MinutesStatus.DRAFT.value
    access.forget_meeting_rules()


def review_minutes(meeting: Meeting, user: User, approved: bool, comment: str) -> MinutesReview:
    """A participant's word on the minutes under review. Approving without a comment keeps
    the comment sent before: whoever approves reads it next to the approval."""
    if not approved and not comment.strip():
        raise ServiceError(str(_l("Scrivi un commento, o approva il verbale.")))
    review = db.session.scalar(select(MinutesReview).where(
        MinutesReview.meeting_id == meeting.id, MinutesReview.user_id == user.id))
    if review is None:
        review = MinutesReview(meeting_id=meeting.id, user_id=user.id)
        db.session.add(review)
    review.approved, review.created_at = approved, utcnow()
    if comment.strip() or not approved:
        review.comment = comment.strip()
    db.session.flush()
    return review


def approve_minutes(meeting: Meeting, user: User) -> None:
    """Four eyes: never by the minute-taker nor by anybody who wrote them since the last
    approval. The next round of authors starts empty."""
    if meeting.minutes_status != MinutesStatus.REVIEW.value:
        raise ServiceError(str(_l("Il verbale va prima mandato in revisione ai partecipanti.")))
    _started(meeting)
    if access.meeting_rules(user, meeting).author:
        raise ServiceError(str(_l(
            "Non puoi approvare un verbale che hai scritto tu (o di cui curi la verbalizzazione): "
            "lo approva un'altra persona che guida l'incontro.")))
    meeting.minutes_status = MinutesStatus.APPROVED.value
    meeting.minutes_approved_at = utcnow()
    _snapshot(meeting, user)
    db.session.execute(delete(MinutesAuthor).where(MinutesAuthor.meeting_id == meeting.id))
    access.forget_meeting_rules()
    notify.minutes_approved(meeting, user, participants(meeting))


# --- feedback and materials ------------------------------------------------------------------

def recount(meeting: Meeting) -> None:
    """Every stored counter of `meeting` from its rows."""
    _count_answers(meeting)
    _count_present(meeting)
    _count_actions(meeting)
    _count_feedback(meeting)


def _count_feedback(meeting: Meeting) -> None:
    meeting.feedback_count, meeting.feedback_total = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Feedback.usefulness), 0))
        .where(Feedback.meeting_id == meeting.id)).one()


def give_feedback(meeting: Meeting, user: User, usefulness: int, will_apply: str) -> Feedback:
    if not 1 <= usefulness <= 5:
        raise ServiceError(str(_l("Scegli un voto da 1 a 5.")))
    feedback = db.session.scalar(select(Feedback).where(
        Feedback.meeting_id == meeting.id, Feedback.user_id == user.id))
    if feedback is None:
        feedback = Feedback(meeting_id=meeting.id, user_id=user.id)
        db.session.add(feedback)
    feedback.usefulness, feedback.will_apply = usefulness, will_apply.strip()
    db.session.flush()
    _count_feedback(meeting)
    return feedback


def add_materials(meeting: Meeting, user: User, uploads, item_id: int | None = None) -> None:
    item = _item_of(meeting, item_id)
    owner_type, owner_id = (ITEM_OWNER_TYPE, item) if item else (OWNER_TYPE, meeting.id)
    stored = files.store_uploads(uploads, space_id=meeting.space_id, owner_type=owner_type,
                                 owner_id=owner_id, user=user)
    if stored:
        _count_materials(meeting)


def remove_material(meeting: Meeting, attachment) -> None:
    files.delete_attachment(attachment)
    db.session.flush()
    _count_materials(meeting)


def _count_materials(meeting: Meeting) -> None:
    item_ids = select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)
    meeting.attachment_count = db.session.scalar(select(func.count()).select_from(Attachment).where(
        ((Attachment.owner_type == OWNER_TYPE) & (Attachment.owner_id == meeting.id))
        | ((Attachment.owner_type == ITEM_OWNER_TYPE) & Attachment.owner_id.in_(item_ids))))
