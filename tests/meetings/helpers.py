"""Meetings for tests: the planning form as a browser posts it, and a factory that writes
meetings through the services."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.meetings import services
from cop.meetings.times import to_utc
from cop.spaces.models import Space


def form_data(**overrides) -> dict:
    """A meeting in presence with a three-item agenda, on 10 December 2030 from 10 to 12."""
    data = {
        "title": "Laboratorio sui servizi per caregiver",
        "kind": "benchlearning", "mode": "presenza",
        "day": "2030-12-10", "start_time": "10:00", "end_time": "12:00", "end_day": "",
        "place": "ATS Bergamo, sala Manzoni", "online_url": "",
        "description": "Confronto tra **Alleanze** sui servizi.",
        "minute_taker_id": "", "repeat": "", "occurrences": "4",
        "agenda-0-title": "Benvenuto e giro di presentazioni",
        "agenda-0-presenter": "Facilitatrice",
        "agenda-0-planned_minutes": "15",
        "agenda-1-title": "Tre esperienze a confronto", "agenda-1-presenter": "",
        "agenda-1-planned_minutes": "60",
        "agenda-2-title": "Prossimi passi", "agenda-2-presenter": "",
        "agenda-2-planned_minutes": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


class Meetings:
    def __init__(self, app):
        self.app = app

    def make(self, space_slug: str, planner_id: int, *, title: str = "Tavolo di coordinamento",
             starts: datetime | None = None, hours: int = 2, items: int = 2,
             invite_members: bool = False, invite_ids=(),
             minute_taker_id: int | None = None) -> int:
        """A meeting planned by `planner_id` (who must be allowed to plan there)."""
        with self.app.app_context():
            space = db.session.scalar(select(Space).where(Space.slug == space_slug))
            planner = db.session.get(User, planner_id)
            starts = starts or to_utc(date(2030, 12, 10), time(10, 0))
            data = services.MeetingInput(
                title=title, kind="comunita_pratica", mode="presenza", starts_at=starts,
                ends_at=starts + timedelta(hours=hours), place="Sala riunioni",
                minute_taker_id=minute_taker_id,
                agenda=[services.AgendaRow(f"Punto {n}", "", 20) for n in range(1, items + 1)])
            meeting = services.plan_meeting(space, planner, data)
            if invite_members or invite_ids:
                services.invite(meeting, planner, members=invite_members, user_ids=list(invite_ids))
            db.session.commit()
            return meeting.id

    def past(self, space_slug: str, planner_id: int, days: int = 1, **kwargs) -> int:
        """A meeting that ended yesterday (or `days` ago)."""
        starts = datetime.now(UTC).replace(microsecond=0) - timedelta(days=days, hours=3)
        return self.make(space_slug, planner_id, starts=starts, **kwargs)
