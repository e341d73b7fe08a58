"""The discussions panel on the space home: the latest threads and a way to start one."""
from sqlalchemy import func

from cop import access
from cop.discussions import queries
from cop.extensions import db


def load(space, user):
    # the window count is taken before the limit: the space's visible threads, in one statement
    rows = db.session.execute(queries.space_thread_ids(space, user)
                              .add_columns(func.count().over()).limit(5)).all()
    ids = [row[0] for row in rows]
    by_id = {t.id: t for t in queries.load_threads(ids)}
    threads = [by_id[i] for i in ids]
    total = rows[0][1] if rows else 0
    return {"threads": threads, "seen": queries.seen_counts(user, threads), "total": total,
            "can_post": access.can(user, access.POST, space)}
