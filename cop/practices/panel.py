"""The library panel on the space home: the space's latest records and a way to write one."""
from sqlalchemy import func, select

from cop import access
from cop.extensions import db
from cop.practices import queries
from cop.practices.models import Practice
from cop.spaces.panels import Panel, register_panel


def _load(space, user):
    ids = db.session.scalars(queries.space_practice_ids(user, space.id).limit(4)).all()
    total = db.session.scalar(select(func.count()).select_from(Practice).where(
        Practice.space_id == space.id, access.visible_practices_clause(user)))
    return {"practices": queries.load_cards(list(ids)), "total": total,
            "may_write": access.may_write_practices(user, space)}


register_panel(Panel("practices", "practices/_panel.html", _load, order=20))
