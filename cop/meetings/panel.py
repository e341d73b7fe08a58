"""The meetings panel on the space home: the next meetings and the space's open actions."""
from sqlalchemy import func, select

from cop import access
from cop.database import utcnow
from cop.extensions import db
from cop.meetings import queries
from cop.meetings.models import OPEN_ACTION_STATUSES, Action
from cop.spaces.panels import Panel, register_panel


def _load(space, user):
    open_actions = db.session.scalar(select(func.count()).where(
        Action.space_id == space.id, Action.status.in_(OPEN_ACTION_STATUSES)))
    return {"meetings": queries.upcoming_for(user, space.id, utcnow()),
            "open_actions": open_actions, "may_plan": access.may_plan_meetings(user, space)}


register_panel(Panel("meetings", "meetings/_panel.html", _load, order=15))
