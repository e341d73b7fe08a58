"""Access rules for decisions and polls (cop/decisions).

Part of cop.access (see its docstring). A decision belongs to a discussion thread or to an
agenda item of a meeting, and follows it in everything:

- it is seen by whoever sees its thread (a hidden thread's only by its author and managers) or
  its meeting, and by nobody else, wherever it is listed (the thread, the meeting, the bell,
  emails, a person's data export); decisions are not in search;
- whoever may reply in the thread opens a decision in it (several per thread); whoever runs
  the meeting opens one on an agenda item (not on a cancelled meeting);
- whoever may reply in the thread takes part (a locked thread takes no new positions, unless
  they manage it); in a meeting, those invited, those who may take part in its space and those
  who run it; only while the decision is open;
- its author and the managers (the space's coordinators for a thread; those who run the
  meeting for a meeting) close it early and write its outcome.
"""
from __future__ import annotations

from sqlalchemy import and_, false, or_, select

from cop.access.core import (
    POST,
    REPLY,
    VIEW,
    _can_space,
    _can_thread,
    _manages,
    _signed_in,
    once_per_request,
    users_who_see_thread_clause,
    visible_threads_clause,
)
from cop.access.meetings import (
    RUN_MEETING,
    meeting_rules,
    users_who_see_meeting_clause,
    visible_meetings_clause,
)
from cop.database import utcnow
from cop.decisions.models import GroupDecision
from cop.discussions.models import Thread
from cop.extensions import db
from cop.meetings.models import Meeting
from cop.spaces.models import Space

TAKE_PART = "take_part"  # take or change one's position
MANAGE_DECISION = "manage_decision"  # close early, write the outcome

__all__ = ["TAKE_PART", "MANAGE_DECISION", "can_decision", "may_open_decision_in_thread",
           "may_open_decision_in_meeting", "visible_decisions_clause",
           "users_who_see_decision_clause"]


def may_open_decision_in_thread(user, thread: Thread) -> bool:
    return _signed_in(user) and user.is_active and _can_thread(user, REPLY, thread)


def may_open_decision_in_meeting(user, meeting: Meeting) -> bool:
    if not _signed_in(user) or not user.is_active or meeting.is_cancelled:
        return False
    return meeting_rules(user, meeting).allows(RUN_MEETING, False)


def can_decision(user, action: str, decision: GroupDecision) -> bool:
    is_author = decision.author_id is not None and decision.author_id == user.id
    if decision.thread_id is not None:
        thread = db.session.get(Thread, decision.thread_id)
        if thread is None or not _can_thread(user, VIEW, thread):
            return False
        if action == VIEW:
            return True
        if action == TAKE_PART:
            return decision.is_open(utcnow()) and _can_thread(user, REPLY, thread)
        if action == MANAGE_DECISION:
            return is_author or _manages(user, thread.space)
        return False
    meeting = db.session.get(Meeting, decision.meeting_id)
    if meeting is None:
        return False
    rules = meeting_rules(user, meeting)
    if not rules.sees:
        return False
    if action == VIEW:
        return True
    if action == TAKE_PART:
        space = db.session.get(Space, meeting.space_id)
        return decision.is_open(utcnow()) and not rules.cancelled and (
            rules.invited or rules.runs or _can_space(user, POST, space))
    if action == MANAGE_DECISION:
        return is_author or rules.runs
    return False


@once_per_request
def visible_decisions_clause(user):
    """SQL condition on GroupDecision: the decisions `user` may see (those of the threads and the
    meetings they see)."""
    if not _signed_in(user) or not user.is_active:
        return false()
    return or_(
        and_(GroupDecision.thread_id.is_not(None),
             GroupDecision.thread_id.in_(select(Thread.id).where(visible_threads_clause(user)))),
        and_(GroupDecision.meeting_id.is_not(None),
             GroupDecision.meeting_id.in_(select(Meeting.id).where(visible_meetings_clause(user)))))


def users_who_see_decision_clause(decision: GroupDecision):
    """SQL condition on User: who may see `decision` (notifications and emails go to no one
    else)."""
    if decision.thread_id is not None:
        return users_who_see_thread_clause(db.session.get(Thread, decision.thread_id))
    return users_who_see_meeting_clause(db.session.get(Meeting, decision.meeting_id))
