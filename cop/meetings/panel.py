"""The meetings panel on the space home: the next meetings and the space's open actions the
person may see (cop/access/meetings.py), in one statement (the open-action count rides along
as a column of the meetings)."""
from sqlalchemy import func, select

from cop import access
from cop.database import utcnow
from cop.extensions import db
from cop.meetings.models import OPEN_ACTION_STATUSES, Action, Meeting


def load(space, user):
    open_actions = (
        select(func.count()).select_from(Action).join(Meeting, Meeting.id == Action.meeting_id)
        .where(Action.space_id == space.id, Action.status.in_(OPEN_ACTION_STATUSES),
               access.visible_actions_clause(user))
        .correlate(None).scalar_subquery())  # its own meetings, not the outer statement's
    rows = db.session.execute(
        select(Meeting, open_actions.label("open_actions")).where(
            Meeting.space_id == space.id, Meeting.ends_at > utcnow(),
            access.visible_meetings_clause(user)).order_by(Meeting.starts_at).limit(3)).all()
    meetings = [row[0] for row in rows]
    count = rows[0][1] if rows else 0  # shown beside the next meetings only
    return {"meetings": meetings, "open_actions": count,
            "may_plan": access.may_plan_meetings(user, space)}
