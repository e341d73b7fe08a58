"""Reads of decisions shared by the pages: each a select() statement (or one run of it)."""
from __future__ import annotations

import functools

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from cop import access
from cop.decisions.models import GroupDecision, Option, Stance, StanceChoice


def decision_fact(model, reader, subject_id):
    """A `cop.facts` fact: a decision in the thread or on the meeting's agenda (None: none,
    as for most)."""
    column = GroupDecision.thread_id if model.__tablename__ == "threads" \
        else GroupDecision.meeting_id
    return select(GroupDecision.id).where(column == subject_id).limit(1).scalar_subquery()


def decisions_of_thread(thread_id: int):
    """The thread's decisions with their options (their stored counts): one statement."""
    return (select(GroupDecision).where(GroupDecision.thread_id == thread_id)
            .options(joinedload(GroupDecision.options))
            .order_by(GroupDecision.created_at, GroupDecision.id))


def decisions_of_meeting(meeting_id: int):
    return (select(GroupDecision).where(GroupDecision.meeting_id == meeting_id)
            .options(joinedload(GroupDecision.options))
            .order_by(GroupDecision.created_at, GroupDecision.id))


def taken_part(user_id: int, decision_ids):
    """The ids, among `decision_ids`, of the decisions `user_id` took a position on."""
    return select(Stance.decision_id).where(Stance.user_id == user_id,
                                            Stance.decision_id.in_(list(decision_ids)))


@functools.cache
def decision_page():
    """Loader options of the decision's page."""
    return (joinedload(GroupDecision.options), joinedload(GroupDecision.author),
            joinedload(GroupDecision.outcome_by), joinedload(GroupDecision.space))


def stances(decision_id: int):
    """Everybody's positions, latest first, with their person and choices (two statements)."""
    return (select(Stance).where(Stance.decision_id == decision_id)
            .options(joinedload(Stance.user), selectinload(Stance.choices))
            .order_by(Stance.updated_at.desc(), Stance.id.desc()))


def my_stance(decision_id: int, user_id: int):
    return (select(Stance).where(Stance.decision_id == decision_id, Stance.user_id == user_id)
            .options(selectinload(Stance.choices)))


def option_totals(decision_id: int):
    """(option id, choices, score total) counted from the stances: what the counters store."""
    return (select(StanceChoice.option_id, func.count(), func.coalesce(func.sum(
        StanceChoice.score), 0))
            .join(Option, Option.id == StanceChoice.option_id)
            .where(Option.decision_id == decision_id).group_by(StanceChoice.option_id))


PANEL_SIZE = 5


def open_in_space(user, space_id: int, now):
    """The open decisions of a space that `user` may see, soonest to close first."""
    return (select(GroupDecision).where(
        GroupDecision.space_id == space_id, GroupDecision.closed_at.is_(None),
        GroupDecision.closes_at > now, access.visible_decisions_clause(user))
        .order_by(GroupDecision.closes_at, GroupDecision.id).limit(PANEL_SIZE))
