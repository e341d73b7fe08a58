"""A dashboard put together from its figures, the early warnings drawn from them, and the
regional overview of spaces whose activity falls."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, select

from cop import figure_store
from cop.dashboard import metrics, snapshot
from cop.dashboard.metrics import Scope
from cop.extensions import db
from cop.spaces.models import Space


@dataclass
class Dashboard:
    scope: Scope
    now: datetime
    participation: metrics.Participation
    activity: list
    trend: metrics.Trend
    median_hours: float | None
    replied_threads: int
    unanswered_count: int
    unanswered: list
    attendance: metrics.Attendance90
    cohorts: list
    coverage: metrics.Coverage
    peripheral_count: int
    peripheral: list
    warnings: list = field(default_factory=list)
    stories: dict = field(default_factory=dict)  # per reader: see with_stories
    latest_stories: list = field(default_factory=list)
    falling_spaces: list = field(default_factory=list)  # the region's only


@dataclass(frozen=True)
class Warning:
    kind: str  # "falling" or "unanswered"
    actions: tuple[str, ...]  # suggested: "meeting", "question", "trainer", "reply"


def build(scope: Scope, now: datetime) -> Dashboard:
    median, replied = metrics.median_hours_to_first_reply(scope, now)
    unanswered_count, unanswered = metrics.unanswered_threads(scope, now)
    peripheral_count, peripheral = metrics.peripheral_members(scope, now)
    board = Dashboard(
        scope=scope, now=now,
        participation=metrics.participation(scope, now),
        activity=metrics.activity_by_month(scope, now),
        trend=metrics.trend(scope, now),
        median_hours=median, replied_threads=replied,
        unanswered_count=unanswered_count, unanswered=unanswered,
        attendance=metrics.meeting_attendance(scope, now),
        cohorts=metrics.cohorts(scope, now),
        coverage=metrics.coverage(scope, now),
        peripheral_count=peripheral_count, peripheral=peripheral,
    )
    board.warnings = early_warnings(board)
    if scope.is_region:
        board.falling_spaces = falling_spaces(now)
    return board


FIGURES = "dashboard.v1"  # the family in figure_snapshots: renamed when snapshot.py changes


def for_reader(scope: Scope, reader) -> Dashboard:
    """The scope's stored figures with the value stories this reader may see."""
    return dataclasses.replace(stored(scope),
                               stories=metrics.stories_by_cycle(scope, reader),
                               latest_stories=metrics.latest_stories(scope, reader))


def stored(scope: Scope) -> Dashboard:
    """The scope's figures as `flask cop refresh-figures` last computed them, in one statement
    (cop.figure_store.stored), however old: the page says when (`board.now`).

    The figures are aggregates over 90 days and more: a few minutes' delay changes nothing a
    coordinator would act on, and every server shows the same figures of the same moment.
    Nothing stored yet (a fresh install, a space created since the last run): computed once
    and stored. A space's figures are stored under its id; its ATS or Alleanza, when they
    change, count from the next run."""
    return snapshot.decode(figure_store.stored(key(scope), compute(scope)).data)


def key(scope: Scope) -> str:
    return f"{FIGURES}:region" if scope.is_region else f"{FIGURES}:space-{scope.space_id}"


def compute(scope: Scope):
    """For cop.figure_store: the scope's figures at a given moment, as JSON-ready data."""
    return lambda now: snapshot.encode(build(scope, now))


def every_part() -> list:
    """What `flask cop refresh-figures` computes, as (key, compute): the region and every space
    (measured on the factor-10 region, SQLite: the region 2.3 s, its 149 spaces 5.1 s in all,
    the slowest 0.16 s; cheap enough to keep every space's ready rather than compute on demand
    the ones that are read)."""
    scopes = [Scope()] + [Scope.of(space)
                          for space in db.session.scalars(select(Space).order_by(Space.id))]
    return [(key(scope), compute(scope)) for scope in scopes]


def early_warnings(board: Dashboard) -> list[Warning]:
    """What to follow, with what a space's coordinators can do about it (the region's
    dashboard has no space to act in: the warning alone)."""
    found = []
    if board.trend.falling:
        found.append(Warning("falling", ("meeting", "question", "trainer")))
    if board.unanswered_count:
        found.append(Warning("unanswered", ("reply", "question")))
    if board.scope.is_region:
        found = [dataclasses.replace(w, actions=()) for w in found]
    return found


def falling_spaces(now: datetime, limit: int = 20):
    """The spaces whose last 30 days fall below half of the three 30-day periods before, worst
    first: rows (slug, name, last_30, previous_average). One statement over every space."""
    cuts = [now - timedelta(days=metrics.ACTIVE_WINDOW_DAYS * k) for k in range(5)]
    rows = metrics.contributions(Scope(), since=cuts[4], until=now)
    last = func.sum(case((rows.c.at >= cuts[1], 1), else_=0))
    before = func.sum(case((rows.c.at < cuts[1], 1), else_=0))
    per_space = (select(rows.c.space_id, last.label("last_30"), before.label("before"))
                 .group_by(rows.c.space_id).subquery("per_space"))
    return db.session.execute(
        select(Space.slug, Space.name, per_space.c.last_30,
               (per_space.c.before / 3.0).label("previous_average"))
        .join(per_space, per_space.c.space_id == Space.id)
        .where(per_space.c.before >= metrics.FALLING_BASELINE_MIN,
               per_space.c.last_30 * 6 < per_space.c.before)
        .order_by((per_space.c.last_30 * 1.0 / per_space.c.before), Space.name)
        .limit(limit)
    ).all()
