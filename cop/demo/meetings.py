"""Demo meetings, written through the feature's services.

Meetings of the Reti Territoriali di Conciliazione in ATS, Alleanza and regional thematic
spaces, dated around the day the demo is loaded: past ones of every kind with agenda,
register, minutes per item, decisions, actions (done, overdue, and open ones coming due in the
next days, so `flask cop send-reminders` has something to send) and feedback, their minutes
approved after a round of review; one past meeting whose minutes are under review and one
still in draft; upcoming ones with invitations and a mix of answers, among them a
benchlearning laboratory open to people of other ATS, a monthly series with its template
agenda, an online webinar and a cancelled meeting. The demo sign-ins (referente, capofila,
facilitatore, membro) all have meetings to answer and open actions.

Everything goes through cop.meetings.services, so counters, versions and access are what the
pages would leave; only the timestamps are moved back afterwards (a service writes «now»), and
the emails the services queue are dropped by seed_demo (mail.discard_queued). The meetings'
texts, people and dates are in data/meetings.toml.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from cop.auth.models import User
from cop.database import utcnow
from cop.demo.content import DEMO_EMAILS, load
from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingInvitation,
    MeetingSeries,
    MinutesVersion,
)
from cop.meetings.times import local, to_utc
from cop.spaces.models import Membership, Space, SpaceRole

ACCOUNTS = DEMO_EMAILS  # "capofila" -> "capofila@cop.example"
APPROVED, REVIEW, DRAFT = "approvato", "in_revisione", "bozza"


# People are named by reference: a demo account ("capofila"), the first coordinator or
# facilitator of a space ("coord:ats-milano", "fac:ats-pavia"), or the n-th plain member of the
# meeting's own space ("m:0"), demo accounts left out.
@dataclass
class Item:
    title: str
    presenter: str = ""  # text, or "@<reference>" for that person's name
    planned: int | None = None
    minutes: str = ""


@dataclass
class Todo:
    title: str
    owner: str
    due: int | None  # days from the day the demo is loaded
    status: str = "aperta"
    item: int | None = None  # index in the agenda


@dataclass
class Plan:
    slug: str
    planner: str
    title: str
    kind: str
    day: int  # days from the day the demo is loaded (negative: past)
    start: time
    end: time
    mode: str = "presenza"
    place: str = ""
    link: str = ""
    description: str = ""
    items: list[Item] = field(default_factory=list)
    co_facilitator: str | None = None
    minute_taker: str | None = None
    guests: list[str] = field(default_factory=list)  # invited from outside the space
    # past meetings
    minutes: str = APPROVED
    summary: str = ""
    decisions: list[tuple[int | None, str]] = field(default_factory=list)
    actions: list[Todo] = field(default_factory=list)
    reviews: list[tuple[str, bool, str]] = field(default_factory=list)
    feedback: list[tuple[str, int, str]] = field(default_factory=list)
    # upcoming meetings
    answers: dict[str, str | None] = field(default_factory=dict)
    cancelled: str | None = None  # the reason


def _todo(row: dict) -> Todo:
    return Todo(row["title"], row["owner"], row.get("due"), row.get("status", "aperta"),
                row.get("item"))


def _held(row: dict) -> dict:
    """What a past meeting left, as _hold reads it."""
    return {
        "minutes": row.get("minutes_status", APPROVED), "summary": row.get("summary", ""),
        "texts": list(row.get("texts", [])),
        "decisions": [(d.get("item"), d["text"]) for d in row.get("decisions", [])],
        "actions": [_todo(a) for a in row.get("actions", [])],
        "reviews": [(r["who"], r["approved"], r.get("comment", ""))
                    for r in row.get("reviews", [])],
        "feedback": [(f["who"], f["mark"], f.get("note", "")) for f in row.get("feedback", [])],
    }


def _from_data(row: dict) -> Plan:
    held = _held(row)
    del held["texts"]  # a single meeting's minutes are its items'
    return Plan(
        slug=row["space"], planner=row["planner"], title=row["title"], kind=row["kind"],
        day=row["day"], start=row["start"], end=row["end"], mode=row.get("mode", "presenza"),
        place=row.get("place", ""), link=row.get("link", ""),
        description=row.get("description", ""),
        items=[Item(i["title"], i.get("presenter", ""), i.get("planned"), i.get("minutes", ""))
               for i in row.get("items", [])],
        co_facilitator=row.get("co_facilitator"), minute_taker=row.get("minute_taker"),
        guests=list(row.get("guests", [])),
        answers={ref: value or None for ref, value in row.get("answers", {}).items()},
        cancelled=row.get("cancelled"), **held)


CONTENT = load("meetings")  # data/meetings.toml
PAST = [_from_data(row) for row in CONTENT["past"]]
UPCOMING = [_from_data(row) for row in CONTENT["upcoming"]]
SERIES = _from_data(CONTENT["series"])
SERIES_OCCURRENCES: int = CONTENT["series"]["occurrences"]
# What the first (past) meetings of the series left: minutes per item, decisions, actions,
# reviews; the first approved, the second still under review.
SERIES_PAST = [_held(row) for row in CONTENT["series"]["held"]]


class _World:
    """The demo spaces and people the meetings are written with, looked up once."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.today = local(utcnow()).date()
        self.now = utcnow().replace(microsecond=0)
        self.spaces = {s.slug: s for s in db.session.scalars(select(Space))}
        self.accounts = {key: db.session.scalar(select(User).where(User.email == email))
                         for key, email in ACCOUNTS.items()}
        self.demo_ids = {u.id for u in self.accounts.values() if u is not None}
        self._members: dict[int, list[tuple[User, str]]] = {}

    def members(self, space: Space) -> list[tuple[User, str]]:
        if space.id not in self._members:
            self._members[space.id] = list(db.session.execute(
                select(User, Membership.role).join(Membership, Membership.user_id == User.id)
                .where(Membership.space_id == space.id, User.active.is_(True))
                .order_by(User.id)).tuples())
        return self._members[space.id]

    def person(self, ref: str, space: Space) -> User:
        if ref in self.accounts:
            return self.accounts[ref]
        kind, _, value = ref.partition(":")
        if kind == "m":
            plain = [u for u, role in self.members(space)
                     if role == SpaceRole.MEMBER.value and u.id not in self.demo_ids] \
                or [u for u, _ in self.members(space)]
            return plain[int(value) % len(plain)]
        role = {"coord": SpaceRole.COORDINATOR.value, "fac": SpaceRole.FACILITATOR.value}[kind]
        other = self.spaces[value]
        found = [u for u, r in self.members(other) if r == role and u.id not in self.demo_ids]
        return (found or [u for u, r in self.members(other) if r == role])[0]

    def day(self, offset: int) -> date:
        """The day `offset` days from today, moved off the weekend (to Monday, or to Friday
        for past meetings)."""
        day = self.today + timedelta(days=offset)
        if day.weekday() >= 5:
            day += timedelta(days=7 - day.weekday()) if offset >= 0 \
                else -timedelta(days=day.weekday() - 4)
        return day

    def before_now(self, moment: datetime) -> datetime:
        return min(moment, self.now - timedelta(minutes=5))


def seed_meetings(rng: random.Random) -> None:
    world = _World(rng)
    if any(world.accounts[k] is None for k in ACCOUNTS) or "ats-bergamo" not in world.spaces:
        return  # not the demo region
    for plan in PAST:
        meeting = _plan(world, plan)
        _invite(world, plan, meeting)
        _hold(world, plan, meeting, plan)
    _series(world)
    for plan in UPCOMING:
        meeting = _plan(world, plan)
        _invite(world, plan, meeting)
        _answer_upcoming(world, plan, meeting)
        if plan.cancelled:
            services.cancel_meeting(meeting, world.person(plan.planner, _space(world, plan)),
                                    plan.cancelled)
            meeting.updated_at = world.before_now(world.now)
    db.session.flush()


def _space(world: _World, plan: Plan) -> Space:
    return world.spaces[plan.slug]


def _presenter(world: _World, plan: Plan, text: str) -> str:
    return world.person(text[1:], _space(world, plan)).name if text.startswith("@") else text


def _input(world: _World, plan: Plan, day: date) -> services.MeetingInput:
    space = _space(world, plan)
    planner = world.person(plan.planner, space)
    facilitators = [planner.id] + ([world.person(plan.co_facilitator, space).id]
                                   if plan.co_facilitator else [])
    return services.MeetingInput(
        title=plan.title, kind=plan.kind, mode=plan.mode, starts_at=to_utc(day, plan.start),
        ends_at=to_utc(day, plan.end), place=plan.place, online_url=plan.link,
        description=plan.description,
        minute_taker_id=world.person(plan.minute_taker, space).id if plan.minute_taker else None,
        facilitator_ids=facilitators,
        agenda=[services.AgendaRow(i.title, _presenter(world, plan, i.presenter), i.planned)
                for i in plan.items])


def _plan(world: _World, plan: Plan) -> Meeting:
    space = _space(world, plan)
    meeting = services.plan_meeting(space, world.person(plan.planner, space),
                                    _input(world, plan, world.day(plan.day)))
    _planned_at(world, meeting)
    return meeting


def _planned_at(world: _World, meeting: Meeting) -> None:
    """A meeting is planned two or three weeks ahead (or a few days ago, if it is soon)."""
    weeks_ahead = meeting.starts_at - timedelta(days=world.rng.randint(14, 24))
    meeting.created_at = meeting.updated_at = world.before_now(
        max(weeks_ahead, world.now - timedelta(days=world.rng.randint(3, 9)))
        if meeting.starts_at > world.now else weeks_ahead)


def _invite(world: _World, plan: Plan, meeting: Meeting) -> None:
    space = _space(world, plan)
    planner = world.person(plan.planner, space)
    guests = [world.person(ref, space).id for ref in plan.guests]
    services.invite(meeting, planner, members=True, user_ids=guests)
    for invitation in _invitations(meeting):
        invitation.created_at = meeting.created_at


def _invitations(meeting: Meeting) -> list[MeetingInvitation]:
    return list(db.session.scalars(select(MeetingInvitation).where(
        MeetingInvitation.meeting_id == meeting.id).order_by(MeetingInvitation.user_id)))


def _answered(world: _World, meeting: Meeting, user: User, value: str) -> None:
    invitation = services.answer(meeting, user, value)
    latest = min(meeting.starts_at - timedelta(hours=2), world.now)
    span = max(1, int((latest - meeting.created_at).total_seconds() // 3600))
    invitation.answered_at = world.before_now(
        meeting.created_at + timedelta(hours=world.rng.randint(1, span)))


def _answer_upcoming(world: _World, plan: Plan, meeting: Meeting) -> None:
    space = _space(world, plan)
    chosen = {world.person(ref, space).id: value for ref, value in plan.answers.items()}
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(
        select(MeetingInvitation.user_id).where(MeetingInvitation.meeting_id == meeting.id))))}
    for user_id in sorted(people):
        if user_id in chosen:
            value = chosen[user_id]
        elif user_id in world.demo_ids:
            value = None  # a demo sign-in decides for themself
        else:
            value = world.rng.choices(["si", "no", "forse", None], [5, 1, 2, 3])[0]
        if value:
            _answered(world, meeting, people[user_id], value)


def _hold(world: _World, plan: Plan, meeting: Meeting, what) -> None:
    """The meeting took place: answers, register, minutes, decisions, actions, review,
    approval and feedback, as `what` (a Plan, or a dict for a meeting of the series) says."""
    space = _space(world, plan)
    get = (lambda name: getattr(what, name, None)) if isinstance(what, Plan) else what.get
    planner = world.person(plan.planner, space)
    writer = world.person(plan.minute_taker, space) if plan.minute_taker else planner
    rng = world.rng
    named = [plan.planner, *plan.guests, *([plan.minute_taker] if plan.minute_taker else []),
             *(a.owner for a in get("actions") or []), *(r[0] for r in get("reviews") or []),
             *(f[0] for f in get("feedback") or [])]
    present = {world.person(ref, space).id for ref in named}  # those the minutes name came
    invited = {i.user_id for i in _invitations(meeting)}
    people = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_(invited | present)))}
    register = {}
    for user_id in sorted(people):
        person = people[user_id]
        if user_id in present or rng.random() < 0.7:
            present.add(user_id)
            register[user_id] = ("presente", person.organisation.name)
            if user_id in invited:
                _answered(world, meeting, person, "si" if rng.random() < 0.9 else "forse")
        else:
            register[user_id] = (rng.choice(["assente", "giustificato"]), person.organisation.name)
            answer = rng.choice(["no", "no", "si", None])
            if answer:
                _answered(world, meeting, person, answer)
    services.record_attendance(meeting, writer, register)

    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                               .order_by(AgendaItem.position)).all()
    texts = get("texts") or [i.minutes for i in plan.items]
    services.save_minutes(meeting, writer, get("summary") or "",
                          {item.id: text for item, text in zip(items, texts) if text})
    ended = meeting.ends_at
    for index, text in get("decisions") or []:
        decision = services.add_decision(meeting, writer, text,
                                         items[index].id if index is not None else None)
        decision.created_at = ended
    for todo in get("actions") or []:
        owner = world.person(todo.owner, space)
        action = services.add_action(
            meeting, writer, todo.title, owner.id,
            world.today + timedelta(days=todo.due) if todo.due is not None else None,
            items[todo.item].id if todo.item is not None else None)
        if todo.status != "aperta":
            services.update_action(action, status=todo.status)
        action.created_at = ended + timedelta(hours=1)
        action.updated_at = world.before_now(
            ended + timedelta(days=rng.randint(2, 20)) if todo.status != "aperta"
            else action.created_at)
    status = get("minutes") or APPROVED
    if status == DRAFT:
        meeting.updated_at = world.before_now(ended + timedelta(hours=3))
        return
    services.send_minutes_for_review(meeting, writer)
    sent = world.before_now(ended + timedelta(days=2))
    for ref, approved, comment in get("reviews") or []:
        review = services.review_minutes(meeting, world.person(ref, space), approved, comment)
        review.created_at = world.before_now(sent + timedelta(hours=rng.randint(4, 96)))
    if status == APPROVED:
        # four eyes: not by who wrote them
        services.approve_minutes(meeting, planner if planner.id != writer.id
                                 else world.accounts["admin"])
    approved_at = world.before_now(sent + timedelta(days=6))
    for version in db.session.scalars(select(MinutesVersion).where(
            MinutesVersion.meeting_id == meeting.id)):
        version.created_at = sent if version.status == REVIEW else approved_at
    if status == APPROVED:
        meeting.minutes_approved_at = approved_at
    for ref, mark, note in get("feedback") or []:
        feedback = services.give_feedback(meeting, world.person(ref, space), mark, note)
        feedback.created_at = world.before_now(ended + timedelta(hours=rng.randint(2, 48)))
    meeting.updated_at = approved_at if status == APPROVED else sent


def _series(world: _World) -> None:
    """The Alleanza's monthly steering group: two past meetings, the rest ahead."""
    plan = SERIES
    space = _space(world, plan)
    planner = world.person(plan.planner, space)
    meetings = services.plan_series(space, planner, _input(world, plan, world.day(plan.day)),
                                    "mensile", SERIES_OCCURRENCES)
    series = db.session.get(MeetingSeries, meetings[0].series_id)
    _planned_at(world, meetings[0])
    series.created_at = meetings[0].created_at  # the whole series is planned at once
    past = [m for m in meetings if m.ends_at <= world.now][:len(SERIES_PAST)]
    for position, meeting in enumerate(meetings):
        meeting.created_at = meeting.updated_at = series.created_at
        if position <= len(past) + 1:  # invitations go out for the next two meetings
            _invite(world, plan, meeting)
    for meeting, what in zip(past, SERIES_PAST):
        _hold(world, plan, meeting, what)
    upcoming = [m for m in meetings if m not in past]
    if upcoming:
        _answer_upcoming(world, plan, upcoming[0])

