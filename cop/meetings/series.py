"""Meeting series: the series page (every meeting in order with its agenda, decisions and
actions), its CSV files, a meeting added to a series by hand, and the top of the next
meeting's agenda.

Reads and writes of the series live here, beside queries.py and services.py (which plans a
series with its rule and calls `prepare_agenda`); nothing here commits.

The top of a series' next agenda is stored, not drawn at each reading (Indico #1186 asks for
a link back to the previous minutes on an «approval of the last minutes» item): the item
«Approvazione del verbale della riunione precedente» is a real item of the agenda, with its
own minutes and decisions (the minutes record that the previous ones were approved), in the
printed minutes and in the versions of the minutes, and it names the meeting whose minutes it
is about (`AgendaItem.previous_meeting_id`), so later changes of the series do not change what
was approved. What changes over time is read when the page is shown: the state of those
minutes, and the actions of earlier meetings still open (the item «Azioni ancora aperte dalle
riunioni precedenti» lists them as they stand, so an action closed the day before the meeting
is not listed as open).

Who sees what follows the meetings' rules (cop/access/meetings.py): the series page is for
whoever sees the space; on it, each meeting is listed if the person may see it, its decisions
and its items' minutes if they may read its minutes as they stand, its actions as in every
other list (`visible_actions_clause`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from cop import access
from cop.auth.models import User
from cop.database import utcnow
from cop.errors import ServiceError
from cop.extensions import db
from cop.meetings.models import (
    NO_RULE,
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    AgendaItem,
    Decision,
    ItemRole,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    MinutesStatus,
    MinutesVersion,
)
from cop.meetings.times import local
from cop.spaces.models import Space
from cop.text import one_line

APPROVAL_TITLE = "Approvazione del verbale della riunione precedente"
OPEN_ACTIONS_TITLE = "Azioni ancora aperte dalle riunioni precedenti"


def today() -> date:
    """Today in Rome: an action is late from the day after its due date."""
    return local(utcnow()).date()


def is_overdue(action: Action, day: date) -> bool:
    return action.is_open and action.due_date is not None and action.due_date < day


# --- reads -----------------------------------------------------------------------------------

def space_series(space_id: int) -> list[tuple[MeetingSeries, int]]:
    """The series of a space with how many meetings each has, by title (one statement)."""
    count = func.count(Meeting.id)
    return [(series, n) for series, n in db.session.execute(
        select(MeetingSeries, count).outerjoin(Meeting, Meeting.series_id == MeetingSeries.id)
        .where(MeetingSeries.space_id == space_id).group_by(MeetingSeries.id)
        .order_by(func.lower(MeetingSeries.title), MeetingSeries.id).limit(200)).all()]


def series_in_space(space_id: int, series_id: int) -> MeetingSeries | None:
    return db.session.scalar(select(MeetingSeries).where(
        MeetingSeries.id == series_id, MeetingSeries.space_id == space_id))


@dataclass(frozen=True)
class SeriesDecision:
    text: str
    item: str  # the title of its agenda item, or ""


@dataclass
class SeriesMeeting:
    """One meeting of the series page, with what the person may read of it: the minutes as
    they stand (`readable`), or, while an amendment is under way, the decisions of the latest
    approved version (`from_approved`)."""

    meeting: Meeting
    readable: bool  # the minutes as they stand: items' minutes and decisions
    decisions: list[SeriesDecision] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    from_approved: bool = False  # the decisions are those of the latest approved version

    @property
    def shows_decisions(self) -> bool:
        return self.readable or self.from_approved


def series_meetings(user, series: MeetingSeries) -> list[SeriesMeeting]:
    """The meetings of `series` that `user` may see, in order, each with its agenda, its
    decisions (where the minutes may be read; the approved version's while an amendment is
    under way) and its actions: five statements, whatever the number of meetings."""
    in_series = Meeting.series_id == series.id
    meetings = db.session.scalars(
        select(Meeting).where(in_series, access.visible_meetings_clause(user))
        .options(selectinload(Meeting.items)).order_by(Meeting.starts_at, Meeting.id)).all()
    if not meetings:
        return []
    readable_ids = select(Meeting.id).where(in_series, access.readable_minutes_clause(user))
    readable = set(db.session.scalars(readable_ids))
    rows = {m.id: SeriesMeeting(m, m.id in readable) for m in meetings}
    titles = {item.id: item.title for m in meetings for item in m.items}
    for decision in db.session.scalars(select(Decision).where(
            Decision.meeting_id.in_(readable_ids)).order_by(Decision.id)):
        rows[decision.meeting_id].decisions.append(
            SeriesDecision(decision.text, titles.get(decision.agenda_item_id, "")))
    _approved_decisions([row for row in rows.values()
                         if not row.readable and row.meeting.minutes_published])
    for action in db.session.scalars(
            select(Action).join(Meeting, Meeting.id == Action.meeting_id)
            .where(in_series, access.visible_actions_clause(user))
            .options(joinedload(Action.owner)).order_by(Action.id)):
        if action.meeting_id in rows:
            rows[action.meeting_id].actions.append(action)
    return list(rows.values())


def _approved_decisions(rows: list[SeriesMeeting]) -> None:
    """The decisions of each meeting's latest approved version (one statement), for the
    readers of minutes under amendment (READ_APPROVED_MINUTES: whoever sees the meeting)."""
    if not rows:
        return
    by_id = {row.meeting.id: row for row in rows}
    latest = (select(MinutesVersion.meeting_id, func.max(MinutesVersion.number).label("number"))
              .where(MinutesVersion.meeting_id.in_(list(by_id)),
                     MinutesVersion.status == MinutesStatus.APPROVED.value)
              .group_by(MinutesVersion.meeting_id).subquery())
    for meeting_id, data in db.session.execute(
            select(MinutesVersion.meeting_id, MinutesVersion.data).join(latest, and_(
                latest.c.meeting_id == MinutesVersion.meeting_id,
                latest.c.number == MinutesVersion.number))):
        row = by_id[meeting_id]
        row.from_approved = True
        row.decisions = [SeriesDecision(d.get("text", ""), d.get("item", ""))
                         for d in json.loads(data).get("decisions", [])]


def action_figures(rows: list[SeriesMeeting], day: date) -> dict[str, int]:
    """How many actions of the series are open (late ones included), late, done."""
    actions = [a for row in rows for a in row.actions]
    return {"open": sum(a.is_open for a in actions),
            "overdue": sum(is_overdue(a, day) for a in actions),
            "done": sum(a.status == ActionStatus.DONE.value for a in actions)}


@dataclass
class MeetingSeriesView:
    """What the meeting page shows of its series: the series (for a link, when the person
    sees the space), the meetings the approval items name, the open actions of earlier
    meetings (for the «azioni aperte» item)."""

    series: MeetingSeries | None = None
    sees_series: bool = False
    previous: dict[int, Meeting] = field(default_factory=dict)  # item id -> meeting seen
    open_actions: list[Action] = field(default_factory=list)
    has_open_actions_item: bool = False
    today: date = field(default_factory=today)


def for_meeting_page(user, meeting: Meeting) -> MeetingSeriesView:
    """At most three statements, whatever the series' size."""
    view = MeetingSeriesView()
    if meeting.series_id is not None:
        view.series = db.session.get(MeetingSeries, meeting.series_id)
        view.sees_series = access.can(user, access.VIEW, db.session.get(Space, meeting.space_id))
    wanted = {item.id: item.previous_meeting_id for item in meeting.items
              if item.role == ItemRole.APPROVE_PREVIOUS.value and item.previous_meeting_id}
    if wanted:
        seen = {m.id: m for m in db.session.scalars(select(Meeting).where(
            Meeting.id.in_(set(wanted.values())), access.visible_meetings_clause(user)))}
        view.previous = {item_id: seen[m_id] for item_id, m_id in wanted.items()
                         if m_id in seen}
    view.has_open_actions_item = any(item.role == ItemRole.OPEN_ACTIONS.value
                                     for item in meeting.items)
    if view.has_open_actions_item and meeting.series_id is not None:
        view.open_actions = earlier_open_actions(user, meeting)
    return view


def earlier_open_actions(user, meeting: Meeting, limit: int = 100) -> list[Action]:
    """The actions of the series' earlier meetings still open, that `user` may see."""
    return list(db.session.scalars(
        select(Action).join(Meeting, Meeting.id == Action.meeting_id)
        .where(Meeting.series_id == meeting.series_id, Meeting.id != meeting.id,
               Meeting.starts_at < meeting.starts_at,
               Action.status.in_(OPEN_ACTION_STATUSES), access.visible_actions_clause(user))
        .options(joinedload(Action.owner), joinedload(Action.meeting))
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id).limit(limit)))


# --- writes ----------------------------------------------------------------------------------

def _previous_in_series(meeting: Meeting) -> Meeting | None:
    """The meeting of the same series just before `meeting` (cancelled ones skipped)."""
    if meeting.series_id is None:
        return None
    return db.session.scalar(select(Meeting).where(
        Meeting.series_id == meeting.series_id, Meeting.id != meeting.id,
        Meeting.status != MeetingStatus.CANCELLED.value,
        or_(Meeting.starts_at < meeting.starts_at,
            and_(Meeting.starts_at == meeting.starts_at, Meeting.id < meeting.id)))
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(1))


def _next_in_series(meeting: Meeting, series_id: int) -> Meeting | None:
    return db.session.scalar(select(Meeting).where(
        Meeting.series_id == series_id, Meeting.id != meeting.id,
        Meeting.status != MeetingStatus.CANCELLED.value,
        or_(Meeting.starts_at > meeting.starts_at,
            and_(Meeting.starts_at == meeting.starts_at, Meeting.id > meeting.id)))
        .order_by(Meeting.starts_at, Meeting.id).limit(1))


def _same_title(item: AgendaItem, title: str) -> bool:
    return item.title.strip().casefold() == title.casefold()


def prepare_agenda(meeting: Meeting) -> None:
    """The top of the agenda of a meeting that follows another in its series: first the
    approval of the previous minutes (naming that meeting), then the actions still open.
    Items already there (by role, or written by hand with the same title) are kept and
    linked, never doubled. A meeting that has begun keeps its agenda: it is the record of
    what was discussed."""
    previous = _previous_in_series(meeting)
    if previous is None or meeting.has_started(utcnow()):
        return
    items = list(db.session.scalars(select(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position, AgendaItem.id)))
    wanted = []
    for role, title in ((ItemRole.APPROVE_PREVIOUS.value, APPROVAL_TITLE),
                        (ItemRole.OPEN_ACTIONS.value, OPEN_ACTIONS_TITLE)):
        item = next((i for i in items if i.role == role), None) or next(
            (i for i in items if not i.role and _same_title(i, title)), None)
        if item is None:
            item = AgendaItem(meeting_id=meeting.id, title=title, presenter="")
            db.session.add(item)
        else:
            items.remove(item)
        item.role = role
        if role == ItemRole.APPROVE_PREVIOUS.value:
            item.previous_meeting_id = previous.id
        wanted.append(item)
    for position, item in enumerate(wanted + items):
        item.position = position
    meeting.updated_at = utcnow()
    db.session.flush()


def may_choose_series(user, meeting: Meeting) -> bool:
    """Who runs the meeting and sees its space (the space's series are named on the page)."""
    return access.can(user, access.RUN_MEETING, meeting) and access.can(
        user, access.VIEW, db.session.get(Space, meeting.space_id))


def start_series(meeting: Meeting, user: User, title: str) -> MeetingSeries:
    """A series without a rule, beginning with `meeting`."""
    title = one_line(title).strip()
    if not 3 <= len(title) <= 200:
        raise ServiceError(str(_l("Il titolo della serie va da 3 a 200 caratteri.")))
    series = MeetingSeries(space_id=meeting.space_id, title=title, frequency=NO_RULE,
                           occurrences=0, created_by_id=user.id)
    db.session.add(series)
    db.session.flush()
    return move_to_series(meeting, user, series)


def move_to_series(meeting: Meeting, user: User,
                   series: MeetingSeries | None) -> MeetingSeries | None:
    """Puts `meeting` in `series` (None: in none). Its agenda, if it follows another
    meeting of the series, and the agenda of the meeting after it in the series it joins
    and in the one it leaves, start as `prepare_agenda` says."""
    if not may_choose_series(user, meeting):
        raise ServiceError(str(_l("Non puoi cambiare la serie di questo incontro.")))
    if series is not None and series.space_id != meeting.space_id:
        raise ServiceError(str(_l("Scegli una serie di questo spazio.")))
    left = meeting.series_id
    if series is not None and left == series.id:
        return series
    left_next = _next_in_series(meeting, left) if left is not None else None
    meeting.series_id = series.id if series is not None else None
    meeting.updated_at = utcnow()
    db.session.flush()
    if series is not None:
        prepare_agenda(meeting)
        following = _next_in_series(meeting, series.id)
        if following is not None:
            prepare_agenda(following)
    if left_next is not None:
        prepare_agenda(left_next)
    return series
