"""A dashboard's figures as JSON and back, for `figure_snapshots` (cop.figure_store).

Only what every reader sees is stored (the value stories are counted per reader at each
read). The rows the pages list come back as named tuples with the same names the SQL rows
had, so the templates read them alike. Change FIGURES in queries.py with this format.
"""
from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from cop.dashboard import metrics


class ThreadRow(NamedTuple):
    id: int
    title: str
    created_at: datetime
    slug: str
    total: int


class PersonRow(NamedTuple):
    id: int
    name: str
    handle: str
    total: int


class AtsRow(NamedTuple):
    id: int
    name: str
    people: int
    active_alleanze: int
    alleanze: int


class AlleanzaRow(NamedTuple):
    id: int
    name: str


class FallingRow(NamedTuple):
    slug: str
    name: str
    last_30: int
    previous_average: float


def _when(value: datetime) -> str:
    return value.isoformat()


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def encode(board) -> dict:
    p = board.participation
    return {
        "scope": [board.scope.space_id, board.scope.ats_id, board.scope.kind,
                  board.scope.alleanza_id],
        "now": _when(board.now),
        "participation": {"members": p.members, "levels": p.levels,
                          "contributors": p.contributors, "monthly_active": p.monthly_active,
                          "new_contributors": p.new_contributors},
        "activity": [[month, kinds] for month, kinds in board.activity],
        "trend": [board.trend.last_30, board.trend.previous_average],
        "median_hours": board.median_hours,
        "replied_threads": board.replied_threads,
        "unanswered_count": board.unanswered_count,
        "unanswered": [[r.id, r.title, _when(r.created_at), r.slug, r.total]
                       for r in board.unanswered],
        "attendance": [board.attendance.meetings, board.attendance.registered,
                       board.attendance.present],
        "cohorts": [[c.month, c.joined, list(c.retained)] for c in board.cohorts],
        "coverage": {"quarter_start": _when(board.coverage.quarter_start),
                     "ats": [[int(r.id), r.name, int(r.people), int(r.active_alleanze),
                              int(r.alleanze)] for r in board.coverage.ats],
                     "quiet_alleanze": [[r.id, r.name] for r in board.coverage.quiet_alleanze]},
        "peripheral_count": board.peripheral_count,
        "peripheral": [[r.id, r.name, r.handle, r.total] for r in board.peripheral],
        "warnings": [[w.kind, list(w.actions)] for w in board.warnings],
        "falling_spaces": [[r.slug, r.name, int(r.last_30), float(r.previous_average)]
                           for r in board.falling_spaces],
    }


def decode(data: dict):
    from cop.dashboard.queries import Dashboard, Warning  # queries imports this module

    p = data["participation"]
    coverage = data["coverage"]
    return Dashboard(
        scope=metrics.Scope(*data["scope"]),
        now=_moment(data["now"]),
        participation=metrics.Participation(
            members=p["members"], levels=p["levels"], contributors=p["contributors"],
            monthly_active=p["monthly_active"], new_contributors=p["new_contributors"]),
        activity=[(month, kinds) for month, kinds in data["activity"]],
        trend=metrics.Trend(*data["trend"]),
        median_hours=data["median_hours"],
        replied_threads=data["replied_threads"],
        unanswered_count=data["unanswered_count"],
        unanswered=[ThreadRow(i, title, _moment(at), slug, total)
                    for i, title, at, slug, total in data["unanswered"]],
        attendance=metrics.Attendance90(*data["attendance"]),
        cohorts=[metrics.Cohort(month, joined, retained)
                 for month, joined, retained in data["cohorts"]],
        coverage=metrics.Coverage(_moment(coverage["quarter_start"]),
                                  [AtsRow(*r) for r in coverage["ats"]],
                                  [AlleanzaRow(*r) for r in coverage["quiet_alleanze"]]),
        peripheral_count=data["peripheral_count"],
        peripheral=[PersonRow(*r) for r in data["peripheral"]],
        warnings=[Warning(kind, tuple(actions)) for kind, actions in data["warnings"]],
        falling_spaces=[FallingRow(*r) for r in data["falling_spaces"]],
    )
