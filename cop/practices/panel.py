"""The library panel on the space home: the space's latest records and a way to write one."""
from sqlalchemy import func

from cop import access
from cop.extensions import db
from cop.practices import queries


def load(space, user):
    # the window count is taken before the limit: the space's visible records, in one statement
    rows = db.session.execute(queries.space_practice_ids(user, space.id)
                              .add_columns(func.count().over()).limit(4)).all()
    ids = [row[0] for row in rows]
    total = rows[0][1] if rows else 0
    return {"practices": queries.load_cards(ids), "total": total,
            "may_write": access.may_write_practices(user, space)}
