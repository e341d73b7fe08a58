"""The discussions panel on the space home: the latest threads and a way to start one."""
from sqlalchemy import func, select

from cop import access
from cop.discussions import queries
from cop.discussions.models import Thread
from cop.extensions import db
from cop.spaces.panels import Panel, register_panel


def _load(space, user):
    ids = db.session.scalars(queries.space_thread_ids(space, user).limit(5)).all()
    by_id = {t.id: t for t in queries.load_threads(ids)}
    threads = [by_id[i] for i in ids]
    total = db.session.scalar(select(func.count()).select_from(Thread).where(
        Thread.space_id == space.id, access.visible_threads_clause(user)))
    return {"threads": threads, "seen": queries.seen_counts(user, threads), "total": total, "can_post": access.can(user, access.POST, space)}


register_panel(Panel("discussions", "discussions/_panel.html", _load, order=10))
