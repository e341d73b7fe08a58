"""Writes of decisions: open one, take or change a position, close early, write the outcome,
remind before closing. Rows are added and flushed, never committed; the members are told
through the one notification path (cop.notifications.services.notify)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from cop.auth.models import User
from cop.database import utcnow
from cop.decisions import queries
from cop.decisions.models import DecisionKind, GroupDecision, Option, Position, Stance, StanceChoice
from cop.discussions.models import Thread
from cop.errors import ServiceError
from cop.extensions import db
from cop.markdown import render_markdown
from cop.meetings import services as meetings
from cop.meetings.models import AgendaItem, Meeting, MeetingFacilitator, MeetingInvitation
from cop.notifications.models import Level, Subscription
from cop.notifications.services import notify
from cop.spaces.models import Membership

# Notification kinds (cop/decisions/notices.py registers them)
OPENED = "decision_opened"
CLOSING = "decision_closing"
OUTCOME = "decision_outcome"

MIN_OPTIONS, MAX_OPTIONS = 2, 20
SCALES = {"1-5": (1, 5), "0-10": (0, 10)}
MAX_DURATION = timedelta(days=366)


@dataclass
class DecisionInput:
    kind: str
    title: str
    closes_at: datetime
    details: str = ""
    options: list[str] = field(default_factory=list)  # a poll's or a score's
    multiple: bool = False
    anonymous: bool = False
    scale: str = "1-5"


def _check(data: DecisionInput) -> None:
    if data.kind not in {k.value for k in DecisionKind}:
        raise ServiceError(str(_l("Tipo di decisione non valido.")))
    now = utcnow()
    if data.closes_at <= now:
        raise ServiceError(str(_l("La chiusura deve essere nel futuro.")))
    if data.closes_at > now + MAX_DURATION:
        raise ServiceError(str(_l("La chiusura può essere al massimo tra un anno.")))
    if data.kind != DecisionKind.PROPOSAL.value:
        if not MIN_OPTIONS <= len(data.options) <= MAX_OPTIONS:
            raise ServiceError(str(_l("Scrivi da 2 a 20 opzioni, una per riga.")))
        if len({o.casefold() for o in data.options}) != len(data.options):
            raise ServiceError(str(_l("Le opzioni devono essere diverse tra loro.")))
    if data.kind == DecisionKind.SCORE.value and data.scale not in SCALES:
        raise ServiceError(str(_l("Scala non valida.")))


def _options(data: DecisionInput) -> list[Option]:
    if data.kind == DecisionKind.PROPOSAL.value:
        return [Option(position=n, code=p.value) for n, p in enumerate(Position)]
    return [Option(position=n, label=label[:200]) for n, label in enumerate(data.options)]


def _new(data: DecisionInput, user: User, space_id: int, **where) -> GroupDecision:
    _check(data)
    low, high = SCALES.get(data.scale, (0, 0)) if data.kind == DecisionKind.SCORE.value \
        else (0, 0)
    decision = GroupDecision(
        space_id=space_id, author_id=user.id, kind=data.kind, title=data.title.strip()[:200],
        details=data.details, details_html=render_markdown(data.details),
        multiple=data.multiple and data.kind == DecisionKind.POLL.value,
        anonymous=data.anonymous and data.kind != DecisionKind.PROPOSAL.value,
        score_min=low, score_max=high, closes_at=data.closes_at, options=_options(data), **where)
    db.session.add(decision)
    db.session.flush()
    notify(decision, audience(decision), OPENED, actor=user, text=decision.title,
           space_id=space_id)
    return decision


def open_in_thread(thread: Thread, user: User, data: DecisionInput) -> GroupDecision:
    """A decision in a discussion (a thread may hold several)."""
    return _new(data, user, thread.space_id, thread_id=thread.id)


def open_in_meeting(meeting: Meeting, user: User, data: DecisionInput,
                    item_id: int) -> GroupDecision:
    """A decision on an agenda item of `meeting`."""
    item = db.session.get(AgendaItem, item_id) if item_id else None
    if item is None or item.meeting_id != meeting.id:
        raise ServiceError(str(_l("Punto dell'ordine del giorno non trovato.")))
    if meeting.is_cancelled:
        raise ServiceError(str(_l("L'incontro è annullato.")))
    return _new(data, user, meeting.space_id, meeting_id=meeting.id, agenda_item_id=item.id)


def audience(decision: GroupDecision):
    """Who is told of a decision (the notification path keeps those who may see it): the
    members of the space and the thread's followers, less those who muted the thread; for a
    meeting, the members of the space, the people invited and the facilitators."""
    members = select(Membership.user_id).where(Membership.space_id == decision.space_id)
    if decision.thread_id is not None:
        levels = dict(db.session.execute(select(Subscription.user_id, Subscription.level).where(
            Subscription.thread_id == decision.thread_id)).all())
        ids = set(db.session.scalars(members)) | {
            uid for uid, level in levels.items() if level == Level.FOLLOW.value}
        return ids - {uid for uid, level in levels.items() if level == Level.MUTE.value}
    invited = select(MeetingInvitation.user_id).where(
        MeetingInvitation.meeting_id == decision.meeting_id)
    facilitators = select(MeetingFacilitator.user_id).where(
        MeetingFacilitator.meeting_id == decision.meeting_id)
    return set(db.session.scalars(members.union(invited, facilitators)))


def _participants(decision: GroupDecision) -> set[int]:
    return set(db.session.scalars(select(Stance.user_id).where(
        Stance.decision_id == decision.id)))


def recount(decision: GroupDecision) -> None:
    """The stored counters from the stances (after a position, or an account deleted)."""
    totals = {option_id: (count, total) for option_id, count, total in
              db.session.execute(queries.option_totals(decision.id))}
    for option in db.session.scalars(select(Option).where(Option.decision_id == decision.id)):
        option.vote_count, option.score_total = totals.get(option.id, (0, 0))
    decision.participant_count = db.session.scalar(
        select(func.count()).where(Stance.decision_id == decision.id))
    db.session.flush()


def take_position(decision: GroupDecision, user: User, chosen: dict[int, int | None],
                  reason: str = "") -> Stance:
    """`chosen`: option id -> score (None outside a score). Replaces the person's earlier
    position: they may change it until the decision closes."""
    if not decision.is_open(utcnow()):
        raise ServiceError(str(_l("La decisione è chiusa: non si possono più prendere "
                                  "posizioni.")))
    # One position at a time per decision (PostgreSQL; SQLite writes one at a time anyway):
    # the stance and the counts below are read after the others' are committed.
    db.session.execute(select(GroupDecision.id).where(GroupDecision.id == decision.id)
                       .with_for_update())
    options = {o.id: o for o in db.session.scalars(
        select(Option).where(Option.decision_id == decision.id))}
    if not chosen or any(option_id not in options for option_id in chosen):
        raise ServiceError(str(_l("Scegli tra le opzioni proposte.")))
    if (decision.is_proposal or (decision.is_poll and not decision.multiple)) and len(chosen) != 1:
        raise ServiceError(str(_l("Scegli una sola opzione.")))
    if decision.is_score:
        if set(chosen) != set(options) or any(
                score is None or not decision.score_min <= score <= decision.score_max
                for score in chosen.values()):
            raise ServiceError(str(_l("Dai un punteggio da %(low)d a %(high)d a ogni opzione.",
                                      low=decision.score_min, high=decision.score_max)))
    reason = "" if decision.anonymous else reason.strip()
    if decision.is_proposal and not reason and \
            options[next(iter(chosen))].code == Position.BLOCK.value:
        raise ServiceError(str(_l("Chi blocca una proposta spiega perché: scrivi la "
                                  "motivazione.")))
    stance = db.session.scalar(select(Stance).where(Stance.decision_id == decision.id,
                                                    Stance.user_id == user.id))
    now = utcnow()
    if stance is None:
        stance = Stance(decision_id=decision.id, user_id=user.id, created_at=now)
        db.session.add(stance)
        db.session.flush()
    else:
        db.session.execute(delete(StanceChoice).where(StanceChoice.stance_id == stance.id))
    stance.reason, stance.reason_html = reason, render_markdown(reason)
    stance.updated_at = now
    for option_id, score in chosen.items():
        db.session.add(StanceChoice(stance_id=stance.id, option_id=option_id,
                                    score=score if decision.is_score else None))
    db.session.flush()
    recount(decision)
    return stance


def close(decision: GroupDecision, user: User) -> None:
    """Closed early by its author or a manager."""
    if not decision.is_open(utcnow()):
        raise ServiceError(str(_l("La decisione è già chiusa.")))
    decision.closed_at = utcnow()
    db.session.flush()


def change_closing(decision: GroupDecision, user: User, closes_at: datetime) -> None:
    """Moves the closing of a decision (earlier or later), or reopens a closed one, until its
    outcome is written. A reminder already sent goes again only if it closes far enough."""
    if decision.outcome:
        raise ServiceError(str(_l("L'esito è già scritto: la decisione non si riapre.")))
    now = utcnow()
    if not now < closes_at <= now + MAX_DURATION:
        raise ServiceError(str(_l("La chiusura deve essere nel futuro, al massimo tra un "
                                  "anno.")))
    decision.closes_at, decision.closed_at = closes_at, None
    if closes_at > now + timedelta(hours=current_app.config["DECISION_REMINDER_HOURS"]):
        decision.reminded_at = None
    db.session.flush()


def _minutes_text(decision: GroupDecision) -> str:
    return f"{decision.title}: {decision.outcome}"


def write_outcome(decision: GroupDecision, user: User, text: str) -> None:
    """The outcome, once the decision is closed. A meeting's decision goes into the minutes as
    a decision of its agenda item (a later change of the outcome replaces it there)."""
    if decision.is_open(utcnow()):
        raise ServiceError(str(_l("L'esito si scrive quando la decisione è chiusa: chiudila "
                                  "prima.")))
    first = not decision.outcome
    decision.outcome, decision.outcome_html = text.strip(), render_markdown(text.strip())
    decision.outcome_by_id, decision.outcome_at = user.id, utcnow()
    if decision.meeting_id is not None:
        meeting = db.session.get(Meeting, decision.meeting_id)
        if decision.meeting_decision_id is not None:
            # unlinked first: the database empties the link when the row goes, and the new
            # row may take the same id, which the session would not see as a change
            earlier, decision.meeting_decision_id = decision.meeting_decision_id, None
            db.session.flush()
            meetings.remove_decision(meeting, user, earlier)
        item_id = decision.agenda_item_id
        if item_id is not None and db.session.get(AgendaItem, item_id) is None:
            item_id = None
        decision.meeting_decision_id = meetings.add_decision(
            meeting, user, _minutes_text(decision), item_id).id
    db.session.flush()
    if first:
        notify(decision, audience(decision) | _participants(decision), OUTCOME, actor=user,
               text=decision.outcome[:280], space_id=decision.space_id)


def closing_soon(now: datetime | None = None) -> list[GroupDecision]:
    now = now or utcnow()
    hours = current_app.config["DECISION_REMINDER_HOURS"]
    return list(db.session.scalars(select(GroupDecision).where(
        GroupDecision.closed_at.is_(None), GroupDecision.reminded_at.is_(None),
        GroupDecision.closes_at > now,
        GroupDecision.closes_at <= now + timedelta(hours=hours)).order_by(GroupDecision.id)))


def send_closing_reminders(now: datetime | None = None) -> tuple[int, int]:
    """Tells the members who have not taken part that a decision closes within
    DECISION_REMINDER_HOURS, once per decision. Returns (decisions, people told)."""
    now = now or utcnow()
    decisions = closing_soon(now)
    told = 0
    for decision in decisions:
        told += notify(decision, audience(decision) - _participants(decision), CLOSING,
                       text=decision.title, space_id=decision.space_id)
        decision.reminded_at = now
    db.session.flush()
    return len(decisions), told


def forget_person(user: User) -> None:
    """Before an account is deleted: their positions go, and the counts follow."""
    touched = list(db.session.scalars(select(Stance.decision_id).where(
        Stance.user_id == user.id)))
    db.session.execute(delete(StanceChoice).where(StanceChoice.stance_id.in_(
        select(Stance.id).where(Stance.user_id == user.id))))
    db.session.execute(delete(Stance).where(Stance.user_id == user.id))
    for decision in db.session.scalars(select(GroupDecision).where(GroupDecision.id.in_(touched))):
        recount(decision)


def on_thread_changed(thread: Thread, **_) -> None:
    """A thread moved to another space takes its decisions along (their place, who is told)."""
    db.session.execute(update(GroupDecision).where(
        GroupDecision.thread_id == thread.id, GroupDecision.space_id != thread.space_id)
        .values(space_id=thread.space_id))
