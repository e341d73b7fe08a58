"""The API's objects as JSON: stable English field names, ISO 8601 dates and times (UTC), the
address of the matching page in `html_url`. What a list shows of an object is what its page
shows to the same person."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import url_for


def when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def ats(row) -> dict | None:
    return {"id": row.id, "code": row.code, "name": row.name} if row is not None else None


def space_ref(space) -> dict:
    return {"slug": space.slug, "name": space.name,
            "html_url": url_for("spaces.home", slug=space.slug, _external=True)}


def space(row) -> dict:
    return {
        "id": row.id, "slug": row.slug, "name": row.name, "kind": row.kind,
        "visibility": row.visibility, "ats": ats(row.ats),
        "alleanza": {"id": row.alleanza.id, "name": row.alleanza.name} if row.alleanza else None,
        "member_count": row.member_count, "created_at": when(row.created_at),
        "html_url": url_for("spaces.home", slug=row.slug, _external=True),
    }


def practice(row, space=None, full: bool = False) -> dict:
    """`space`: the record's space when the reader sees it (a record shown to everybody signed
    in may live in a reserved space: the space is then not named)."""
    data = {
        "id": row.id, "title": row.title, "summary": row.summary, "status": row.status,
        "visibility": row.visibility, "published_at": when(row.published_at),
        "updated_at": when(row.updated_at), "ats": ats(row.ats),
        "alleanza": {"id": row.alleanza.id, "name": row.alleanza.name} if row.alleanza else None,
        "area": {"code": row.area.code, "target": row.area.target, "label_it": row.area.label_it,
                 "label_en": row.area.label_en} if row.area else None,
        "target": row.target, "reached_count": row.reached_count,
        "municipalities": row.municipality_list, "lead_organisation": row.lead_name or None,
        "start_date": when(row.start_date), "end_date": when(row.end_date),
        "state": row.state, "stage": row.stage, "evidence": row.evidence,
        "adoption_count": row.adoption_count,
        "space": space_ref(space) if space is not None else None,
        "html_url": url_for("practices.show", practice_id=row.id, _external=True),
    }
    if full:
        data.update({
            "need": row.need, "activities": row.activities, "difficulties": row.difficulties,
            "lessons": row.lessons, "transferability": row.transferability,
            "budget": _number(row.budget), "funding_source": row.funding_source,
            "partners": [{"name": p.name, "role": p.role} for p in row.partners],
            "indicators": [{"name": i.name, "value": _number(i.value), "unit": i.unit,
                            "year": i.year} for i in row.indicators],
        })
    return data


def decision(row) -> dict:
    return {"id": row.id, "text": row.text, "agenda_item_id": row.agenda_item_id,
            "created_at": when(row.created_at)}


def action(row, owner_name: str | None) -> dict:
    return {"id": row.id, "title": row.title, "owner": owner_name, "due_date": when(row.due_date),
            "status": row.status, "agenda_item_id": row.agenda_item_id,
            "updated_at": when(row.updated_at)}


def versioned_decision(item: dict) -> dict:
    """A decision as an approved version of the minutes keeps it (no id: the version is a
    copy)."""
    return {"id": None, "text": item.get("text", ""), "agenda_item_id": None,
            "agenda_item": item.get("item") or None, "created_at": None}


def versioned_action(item: dict) -> dict:
    return {"id": None, "title": item.get("title", ""), "owner": item.get("owner") or None,
            "due_date": item.get("due") or None, "status": item.get("status", ""),
            "agenda_item_id": None, "updated_at": None}


def meeting(row, *, minutes_readable: bool, minutes_source: str, minutes_version: int | None,
            decisions: list, actions: list, agenda: list | None = None) -> dict:
    data = {
        "id": row.id, "title": row.title, "kind": row.kind, "mode": row.mode,
        "status": row.status, "starts_at": when(row.starts_at), "ends_at": when(row.ends_at),
        "place": row.place if row.mode != "online" else "",
        "space": space_ref(row.space), "series_id": row.series_id,
        "minutes_status": row.minutes_status,
        "minutes_approved_at": when(row.minutes_approved_at),
        "minutes_readable": minutes_readable, "minutes_source": minutes_source,
        "minutes_version": minutes_version,
        "decisions": decisions, "actions": actions,
        "html_url": url_for("meetings.show", meeting_id=row.id, _external=True),
    }
    if agenda is not None:
        data["agenda"] = agenda
    return data


def agenda_item(row) -> dict:
    return {"id": row.id, "position": row.position, "title": row.title,
            "presenter": row.presenter, "planned_minutes": row.planned_minutes}


def dashboard(board, scope_space=None) -> dict:
    """A dashboard's stored figures (cop.figure_store, as the dashboard pages read them)."""
    p = board.participation
    return {
        "scope": "region" if scope_space is None else "space",
        "space": space_ref(scope_space) if scope_space is not None else None,
        "computed_at": when(board.now),
        "participation": {"members": p.members, "levels": dict(p.levels),
                          "contributors": p.contributors, "monthly_active": p.monthly_active,
                          "new_contributors": p.new_contributors},
        "activity_by_month": [{"month": _month(month), "contributions": dict(kinds)}
                              for month, kinds in board.activity],
        "trend": {"last_30_days": board.trend.last_30,
                  "previous_average": board.trend.previous_average,
                  "falling": board.trend.falling},
        "median_hours_to_first_reply": board.median_hours,
        "replied_threads": board.replied_threads,
        "unanswered_threads": board.unanswered_count,
        "attendance_90_days": {"meetings": board.attendance.meetings,
                               "registered": board.attendance.registered,
                               "present": board.attendance.present,
                               "rate": board.attendance.rate},
        "cohorts": [{"month": _month(c.month), "joined": c.joined, "retained": list(c.retained)}
                    for c in board.cohorts],
        "coverage": {"quarter_start": when(board.coverage.quarter_start),
                     "ats": [{"id": r.id, "name": r.name, "active_people": r.people,
                              "active_alleanze": r.active_alleanze, "alleanze": r.alleanze}
                             for r in board.coverage.ats],
                     "quiet_alleanze": [{"id": r.id, "name": r.name}
                                        for r in board.coverage.quiet_alleanze]},
        "peripheral_members": board.peripheral_count,
        "warnings": [w.kind for w in board.warnings],
    }


def _month(index: int) -> str:
    """A month index of cop.dashboard.metrics (year * 12 + month) as YYYY-MM."""
    return f"{(index - 1) // 12:04d}-{(index - 1) % 12 + 1:02d}"
