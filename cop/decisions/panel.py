"""The open decisions panel on the space home: those the reader may see, soonest to close
first, in one statement (no panel when there are none)."""
from cop.database import utcnow
from cop.decisions import queries
from cop.extensions import db


def load(space, user):
    now = utcnow()
    decisions = db.session.scalars(queries.open_in_space(user, space.id, now)).all()
    return {"decisions": decisions, "now": now} if decisions else None
