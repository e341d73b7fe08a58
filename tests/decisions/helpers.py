"""Decisions for tests: the opening form as a browser posts it, and writers that go through the
services (each opens its own app context, commits, and returns ids)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from cop.auth.models import User
from cop.database import utcnow
from cop.decisions import services
from cop.decisions.models import GroupDecision, Option
from cop.discussions import services as discussions
from cop.extensions import db
from cop.meetings.models import AgendaItem, Meeting
from cop.meetings.times import local
from cop.spaces.models import Space


def form_data(**overrides) -> dict:
    """A proposal closing in three days at 18:00 (Europe/Rome)."""
    day = local(utcnow()).date() + timedelta(days=3)
    data = {"kind": "proposta", "title": "Il prossimo tema è la cura dei familiari anziani",
            "details": "Ne abbiamo parlato a **giugno**.", "options": "", "scale": "1-5",
            "closes_day": day.isoformat(), "closes_time": "18:00"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def thread(app, space_id: int, author_id: int, title: str = "Quale tema per l'autunno?") -> int:
    with app.app_context():
        written = discussions.create_thread(
            db.session.get(Space, space_id), db.session.get(User, author_id), title=title,
            kind="proposta", body="Scegliamo insieme.")
        db.session.commit()
        return written.thread.id


def decision(app, author_id: int, *, thread_id: int | None = None,
             meeting_id: int | None = None, kind: str = "proposta", options=(),
             hours: float = 72, **fields) -> int:
    with app.app_context():
        from cop.discussions.models import Thread

        data = services.DecisionInput(kind=kind, title=fields.pop("title", "Una decisione"),
                                      closes_at=utcnow() + timedelta(hours=hours),
                                      options=list(options), **fields)
        author = db.session.get(User, author_id)
        if thread_id is not None:
            made = services.open_in_thread(db.session.get(Thread, thread_id), author, data)
        else:
            meeting = db.session.get(Meeting, meeting_id)
            item = db.session.scalars(select(AgendaItem).where(
                AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position)).first()
            made = services.open_in_meeting(meeting, author, data, item.id)
        db.session.commit()
        return made.id


def options(app, decision_id: int) -> dict[str, int]:
    """label (or a proposal's position code) -> option id."""
    with app.app_context():
        return {o.code or o.label: o.id for o in db.session.scalars(
            select(Option).where(Option.decision_id == decision_id))}


def vote(app, decision_id: int, user_id: int, chosen: dict[int, int | None], reason: str = ""):
    with app.app_context():
        services.take_position(db.session.get(GroupDecision, decision_id),
                               db.session.get(User, user_id), chosen, reason)
        db.session.commit()


def counts(app, decision_id: int) -> tuple[int, dict[str, tuple[int, int]]]:
    with app.app_context():
        d = db.session.get(GroupDecision, decision_id)
        return d.participant_count, {o.code or o.label: (o.vote_count, o.score_total)
                                     for o in db.session.scalars(select(Option).where(
                                         Option.decision_id == decision_id))}
