"""The dashboard's figures, each one SQL aggregate over the rows the features already keep.

A *scope* is one space or the whole region. A *contribution* is one of: a thread opened, a reply
written (deleted posts do not count), a good-practice record written, a meeting attended (present
in the register), a «mi è utile» given; it belongs to the space of its thread, record or meeting.
Nothing here loops over rows in Python: every function runs one statement (the median and the
cohorts included) and returns a handful of numbers, so a dashboard costs the same number of
statements whatever the size of the space.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    Integer,
    and_,
    case,
    cast,
    distinct,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)

from cop import access
from cop.auth.models import User
from cop.discussions.models import Post, PostUseful, Thread, ThreadKind, ThreadRead
from cop.extensions import db
from cop.meetings.models import Attendance, Meeting, MeetingStatus, Presence
from cop.network.models import Alleanza, Ats, Organisation, organisation_alleanze
from cop.practices.models import Practice
from cop.spaces.models import Membership, Space, SpaceKind
from cop.stories.models import ValueStory

LEVEL_WINDOW_DAYS = 90
ACTIVE_WINDOW_DAYS = 30
UNANSWERED_AFTER_DAYS = 7
COHORT_MONTHS = 6
# A fall is worth a warning only from a baseline of at least this many contributions in the
# 90 days before the last 30 (two a month): from 1 to 0 is noise, not a signal.
FALLING_BASELINE_MIN = 6
COHORT_FOLLOW_UP = 3
ACTIVITY_MONTHS = 12

# Contributions in the last 90 days that make each level (at least this many).
CORE_MIN = 12  # about one a week
ACTIVE_MIN = 4  # about one a month or more
LEVELS = ("core", "attivo", "occasionale", "periferico")


@dataclass(frozen=True)
class Scope:
    """One space (`space_id`) or the region (`space_id` None: every space, every active person)."""

    space_id: int | None = None
    ats_id: int | None = None  # the space's ATS, for coverage
    kind: str | None = None
    alleanza_id: int | None = None

    @classmethod
    def of(cls, space: Space | None) -> Scope:
        if space is None:
            return cls()
        return cls(space.id, space.ats_id, space.kind, space.alleanza_id)

    @property
    def is_region(self) -> bool:
        return self.space_id is None

    def in_scope(self, column):
        return true() if self.is_region else column == self.space_id


# --- dialect helpers ------------------------------------------------------------------------

def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _month_index(column):
    """Year * 12 + month of a timestamp: months between two timestamps are a subtraction."""
    if _postgres():
        return cast(func.extract("year", column) * 12 + func.extract("month", column), Integer)
    return (cast(func.strftime("%Y", column), Integer) * 12
            + cast(func.strftime("%m", column), Integer))


def _seconds_between(later, earlier):
    if _postgres():
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def month_index(moment: datetime) -> int:
    return moment.year * 12 + moment.month


def month_start(index: int, tzinfo=None) -> datetime:
    return datetime((index - 1) // 12, (index - 1) % 12 + 1, 1, tzinfo=tzinfo)


# --- the rows every figure counts -----------------------------------------------------------

def contributions(scope: Scope, since: datetime | None = None, until: datetime | None = None):
    """A subquery (user_id, space_id, at, kind) of the scope's contributions in [since, until)."""

    def window(column):
        conditions = []
        if since is not None:
            conditions.append(column >= since)
        if until is not None:
            conditions.append(column < until)
        return and_(true(), *conditions)

    posts = (
        select(Post.author_id.label("user_id"), Thread.space_id.label("space_id"),
               Post.created_at.label("at"),
               case((Post.depth == 0, literal("thread")), else_=literal("reply")).label("kind"))
        .join(Thread, Thread.id == Post.thread_id)
        .where(scope.in_scope(Thread.space_id), Post.author_id.is_not(None),
               Post.deleted_at.is_(None), window(Post.created_at))
    )
    practices = (
        select(Practice.created_by_id, Practice.space_id, Practice.created_at,
               literal("practice"))
        .where(scope.in_scope(Practice.space_id), Practice.created_by_id.is_not(None),
               window(Practice.created_at))
    )
    attended = (
        select(Attendance.user_id, Meeting.space_id, Meeting.starts_at, literal("meeting"))
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(scope.in_scope(Meeting.space_id), Attendance.presence == Presence.PRESENT.value,
               Meeting.status != MeetingStatus.CANCELLED.value, window(Meeting.starts_at))
    )
    useful = (
        select(PostUseful.user_id, Thread.space_id, PostUseful.created_at, literal("useful"))
        .join(Post, Post.id == PostUseful.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .where(scope.in_scope(Thread.space_id), window(PostUseful.created_at))
    )
    return union_all(posts, practices, attended, useful).subquery("contributions")


def members(scope: Scope):
    """A subquery (user_id, joined_at) of the scope's members: the space's active members, or
    every active person for the region, who joined when they first joined a space (their
    account's creation, for whoever is in none)."""
    if scope.is_region:
        joined = func.coalesce(func.min(Membership.created_at), User.created_at)
        return (select(User.id.label("user_id"), joined.label("joined_at"))
                .outerjoin(Membership, Membership.user_id == User.id)
                .where(User.active.is_(True)).group_by(User.id, User.created_at)
                .subquery("members"))
    return (select(Membership.user_id.label("user_id"), Membership.created_at.label("joined_at"))
            .join(User, User.id == Membership.user_id)
            .where(Membership.space_id == scope.space_id, User.active.is_(True))
            .subquery("members"))


# --- figures ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Participation:
    members: int
    levels: dict[str, int]
    contributors: int  # members with at least one contribution in the 90 days
    monthly_active: int  # members who contributed or read a thread in the last 30 days
    new_contributors: int  # people whose first contribution in the scope is in the last 30 days

    def share(self, count: int) -> float | None:
        return count / self.members if self.members else None


def participation(scope: Scope, now: datetime) -> Participation:
    """One statement: levels, contributors, monthly active members and new contributors."""
    level_since = now - timedelta(days=LEVEL_WINDOW_DAYS)
    active_since = now - timedelta(days=ACTIVE_WINDOW_DAYS)
    every = contributions(scope)
    per_person = (
        select(every.c.user_id,
               func.sum(case((every.c.at >= level_since, 1), else_=0)).label("recent"),
               func.sum(case((every.c.at >= active_since, 1), else_=0)).label("month"),
               func.min(every.c.at).label("first"))
        .group_by(every.c.user_id).subquery("per_person")
    )
    reads = select(ThreadRead.user_id).join(Thread, Thread.id == ThreadRead.thread_id).where(
        scope.in_scope(Thread.space_id), ThreadRead.read_at >= active_since)
    people = members(scope)
    recent = func.coalesce(per_person.c.recent, 0)
    month = func.coalesce(per_person.c.month, 0)
    row = db.session.execute(
        select(
            func.count(people.c.user_id).label("members"),
            func.sum(case((recent >= CORE_MIN, 1), else_=0)).label("core"),
            func.sum(case((and_(recent >= ACTIVE_MIN, recent < CORE_MIN), 1), else_=0))
            .label("attivo"),
            func.sum(case((and_(recent >= 1, recent < ACTIVE_MIN), 1), else_=0))
            .label("occasionale"),
            func.sum(case((recent == 0, 1), else_=0)).label("periferico"),
            func.sum(case((or_(month > 0, people.c.user_id.in_(reads)), 1), else_=0))
            .label("monthly_active"),
            select(func.count()).select_from(per_person)
            .where(per_person.c.first >= active_since).scalar_subquery().label("new"),
        )
        .select_from(people)
        .outerjoin(per_person, per_person.c.user_id == people.c.user_id)
    ).one()
    return Participation(
        members=row.members or 0,
        levels={level: int(getattr(row, level) or 0) for level in LEVELS},
        contributors=int((row.core or 0) + (row.attivo or 0) + (row.occasionale or 0)),
        monthly_active=int(row.monthly_active or 0),
        new_contributors=int(row.new or 0),
    )


def activity_by_month(scope: Scope, now: datetime) -> list[tuple[int, dict[str, int]]]:
    """Contributions per calendar month (UTC) and kind, for the last 12 months, oldest first:
    [(month index, {kind: count})], months without any included."""
    first = month_index(now) - ACTIVITY_MONTHS + 1
    since = month_start(first, now.tzinfo)
    rows = contributions(scope, since=since)
    month = _month_index(rows.c.at)
    counted = db.session.execute(
        select(month.label("month"), rows.c.kind, func.count()).group_by(month, rows.c.kind))
    by_month = {m: {} for m in range(first, first + ACTIVITY_MONTHS)}
    for m, kind, n in counted:
        if int(m) in by_month:
            by_month[int(m)][kind] = n
    return sorted(by_month.items())


@dataclass(frozen=True)
class Trend:
    last_30: int
    previous_average: float  # the average of the three 30-day periods before

    @property
    def falling(self) -> bool:
        """Activity below half of its previous average, from a baseline worth warning about
        (FALLING_BASELINE_MIN contributions in the 90 days before)."""
        return (round(self.previous_average * 3) >= FALLING_BASELINE_MIN
                and self.last_30 < self.previous_average / 2)


def trend(scope: Scope, now: datetime) -> Trend:
    cuts = [now - timedelta(days=ACTIVE_WINDOW_DAYS * k) for k in range(5)]
    rows = contributions(scope, since=cuts[4], until=now)
    row = db.session.execute(select(
        func.sum(case((rows.c.at >= cuts[1], 1), else_=0)),
        func.sum(case((rows.c.at < cuts[1], 1), else_=0)),
    )).one()
    return Trend(last_30=int(row[0] or 0), previous_average=(row[1] or 0) / 3)


def _open_threads(scope: Scope):
    return and_(scope.in_scope(Thread.space_id), Thread.hidden.is_(False),
                Thread.kind != ThreadKind.NOTICE.value)


def median_hours_to_first_reply(scope: Scope, now: datetime) -> tuple[float | None, int]:
    """The median time between a thread's opening and the first reply by somebody else, over the
    threads opened in the last 90 days that have one; and how many threads that is."""
    since = now - timedelta(days=LEVEL_WINDOW_DAYS)
    first_reply = (
        select(Post.thread_id, func.min(Post.created_at).label("first_at"))
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.depth > 0, Post.deleted_at.is_(None), Post.hidden.is_(False),
               or_(Thread.author_id.is_(None), Post.author_id.is_(None),
                   Post.author_id != Thread.author_id),
               scope.in_scope(Thread.space_id), Thread.created_at >= since)
        .group_by(Post.thread_id).subquery("first_reply")
    )
    waits = (
        select(_seconds_between(first_reply.c.first_at, Thread.created_at).label("seconds"))
        .join(first_reply, first_reply.c.thread_id == Thread.id)
        .where(_open_threads(scope)).subquery("waits")
    )
    ranked = select(
        waits.c.seconds,
        func.row_number().over(order_by=waits.c.seconds).label("rank"),
        func.count().over().label("total"),
    ).subquery("ranked")
    row = db.session.execute(
        select(func.avg(ranked.c.seconds), func.max(ranked.c.total)).where(or_(
            ranked.c.rank == (ranked.c.total + 1) // 2, ranked.c.rank == (ranked.c.total + 2) // 2))
    ).one()
    if row[0] is None:
        return None, 0
    return float(row[0]) / 3600, int(row[1])


def unanswered_threads(scope: Scope, now: datetime, limit: int = 10):
    """Threads waiting for a first reply for more than 7 days (notices excepted), oldest first,
    with the total: (count, [(id, title, created_at, space slug)])."""
    cutoff = now - timedelta(days=UNANSWERED_AFTER_DAYS)
    condition = and_(_open_threads(scope), Thread.reply_count == 0, Thread.created_at < cutoff,
                     Thread.locked.is_(False))
    rows = db.session.execute(
        select(Thread.id, Thread.title, Thread.created_at, Space.slug,
               func.count().over().label("total"))
        .join(Space, Space.id == Thread.space_id)
        .where(condition).order_by(Thread.created_at, Thread.id).limit(limit)
    ).all()
    return (rows[0].total if rows else 0), rows


@dataclass(frozen=True)
class Attendance90:
    meetings: int
    registered: int  # rows in the registers
    present: int

    @property
    def rate(self) -> float | None:
        return self.present / self.registered if self.registered else None


def meeting_attendance(scope: Scope, now: datetime) -> Attendance90:
    """Meetings held in the last 90 days with a register: present over everybody registered
    (present, absent, excused)."""
    since = now - timedelta(days=LEVEL_WINDOW_DAYS)
    row = db.session.execute(
        select(func.count(distinct(Attendance.meeting_id)), func.count(Attendance.id),
               func.sum(case((Attendance.presence == Presence.PRESENT.value, 1), else_=0)))
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(scope.in_scope(Meeting.space_id), Meeting.status != MeetingStatus.CANCELLED.value,
               Meeting.starts_at >= since, Meeting.starts_at < now)
    ).one()
    return Attendance90(int(row[0] or 0), int(row[1] or 0), int(row[2] or 0))


@dataclass(frozen=True)
class Cohort:
    month: int  # month index of joining
    joined: int
    retained: list[int | None]  # per month after joining: people who contributed; None: future


def cohorts(scope: Scope, now: datetime) -> list[Cohort]:
    """By month of joining (the last six, the current one included): how many joined and how many
    of them contributed in the scope in each of the three calendar months after."""
    current = month_index(now)
    first = current - COHORT_MONTHS + 1
    people = members(scope)
    joined = _month_index(people.c.joined_at)
    every = contributions(scope)
    active_month = (
        select(every.c.user_id, _month_index(every.c.at).label("month"))
        .distinct().subquery("active_month")
    )
    columns = [func.count(distinct(people.c.user_id))]
    for k in range(1, COHORT_FOLLOW_UP + 1):
        columns.append(func.count(distinct(case(
            (active_month.c.month == joined + k, active_month.c.user_id)))))
    rows = db.session.execute(
        select(joined.label("joined"), *columns)
        .select_from(people)
        .outerjoin(active_month, active_month.c.user_id == people.c.user_id)
        .where(joined >= first)
        .group_by(joined)
    ).all()
    found = {int(r[0]): r for r in rows}
    result = []
    for month in range(first, current + 1):
        row = found.get(month)
        retained = []
        for k in range(1, COHORT_FOLLOW_UP + 1):
            retained.append(None if month + k > current else (int(row[k + 1]) if row else 0))
        result.append(Cohort(month, int(row[1]) if row else 0, retained))
    return result


@dataclass(frozen=True)
class Coverage:
    quarter_start: datetime
    ats: list  # rows (id, name, active people, active Alleanze, Alleanze)
    quiet_alleanze: list  # rows (id, name) of the scope's Alleanze without an active member


def quarter_start(now: datetime) -> datetime:
    return now.replace(month=3 * ((now.month - 1) // 3) + 1, day=1, hour=0, minute=0, second=0,
                       microsecond=0)


def coverage(scope: Scope, now: datetime) -> Coverage:
    """Which ATS and Alleanze had an active member this quarter: a person who contributed in the
    scope, counted for the ATS and the Alleanze of their organisation."""
    start = quarter_start(now)
    rows = contributions(scope, since=start)
    active_people = select(rows.c.user_id).distinct().subquery("active_people")
    active_orgs = (select(User.organisation_id, User.id.label("user_id"))
                   .join(active_people, active_people.c.user_id == User.id)
                   .subquery("active_orgs"))
    active_alleanze = (select(organisation_alleanze.c.alleanza_id)
                       .join(active_orgs, active_orgs.c.organisation_id
                             == organisation_alleanze.c.organisation_id))
    alleanze_scope = true()
    if scope.kind == SpaceKind.ALLEANZA.value and scope.alleanza_id:
        alleanze_scope = Alleanza.id == scope.alleanza_id
    elif scope.kind == SpaceKind.ATS.value and scope.ats_id:
        alleanze_scope = Alleanza.ats_id == scope.ats_id
    alleanza_active = Alleanza.id.in_(active_alleanze)
    people_per_ats = (select(Organisation.ats_id, func.count(distinct(active_orgs.c.user_id))
                             .label("people"))
                      .join(active_orgs, active_orgs.c.organisation_id == Organisation.id)
                      .group_by(Organisation.ats_id).subquery("people_per_ats"))
    alleanze_per_ats = (select(Alleanza.ats_id, func.count().label("total"),
                               func.sum(case((alleanza_active, 1), else_=0)).label("active"))
                        .where(alleanze_scope).group_by(Alleanza.ats_id)
                        .subquery("alleanze_per_ats"))
    ats_rows = db.session.execute(
        select(Ats.id, Ats.name, func.coalesce(people_per_ats.c.people, 0).label("people"),
               func.coalesce(alleanze_per_ats.c.active, 0).label("active_alleanze"),
               func.coalesce(alleanze_per_ats.c.total, 0).label("alleanze"))
        .outerjoin(people_per_ats, people_per_ats.c.ats_id == Ats.id)
        .outerjoin(alleanze_per_ats, alleanze_per_ats.c.ats_id == Ats.id)
        .where(or_(people_per_ats.c.people > 0, alleanze_per_ats.c.total > 0))
        .order_by(Ats.name)
    ).all()
    quiet = db.session.execute(
        select(Alleanza.id, Alleanza.name).where(alleanze_scope, ~alleanza_active)
        .order_by(Alleanza.ats_id, Alleanza.number)
    ).all()
    return Coverage(start, ats_rows, quiet)


def stories_by_cycle(scope: Scope, reader) -> dict[str, int]:
    """Counted per reader: a story about a hidden thread or a draft is not for everyone who
    reads the dashboard."""
    rows = db.session.execute(
        select(ValueStory.cycle, func.count()).where(scope.in_scope(ValueStory.space_id),
                                                     access.visible_stories_clause(reader))
        .group_by(ValueStory.cycle))
    return {cycle: n for cycle, n in rows}


def latest_stories(scope: Scope, reader, limit: int = 5):
    return db.session.execute(
        select(ValueStory.id, ValueStory.title, ValueStory.cycle, ValueStory.created_at,
               User.name.label("author_name"), Space.slug)
        .join(Space, Space.id == ValueStory.space_id)
        .outerjoin(User, User.id == ValueStory.author_id)
        .where(scope.in_scope(ValueStory.space_id), access.visible_stories_clause(reader))
        .order_by(ValueStory.created_at.desc(), ValueStory.id.desc()).limit(limit)
    ).all()


def peripheral_members(scope: Scope, now: datetime, limit: int = 8):
    """Members without a contribution in the last 90 days, longest-standing first (whom to ask
    a question), and how many there are."""
    recent = contributions(scope, since=now - timedelta(days=LEVEL_WINDOW_DAYS))
    people = members(scope)
    rows = db.session.execute(
        select(User.id, User.name, User.handle, func.count().over().label("total"))
        .join(people, people.c.user_id == User.id)
        .where(~exists().where(recent.c.user_id == User.id))
        .order_by(people.c.joined_at, User.id).limit(limit)
    ).all()
    return (rows[0].total if rows else 0), rows


__all__ = ["Scope", "participation", "activity_by_month", "trend", "median_hours_to_first_reply",
           "unanswered_threads", "meeting_attendance", "cohorts", "coverage", "stories_by_cycle",
           "latest_stories", "peripheral_members", "month_index", "month_start", "LEVELS"]
