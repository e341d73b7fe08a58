"""Discussions on the notification path: the thread as a subject, and the five kinds a
discussion gives (registered by cop.notifications.wiring; who is told is in services)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cop import access
from cop.discussions.models import Thread
from cop.extensions import db
from cop.notifications import describe, queries
from cop.notifications.kinds import Kind, Subject, register_kind, register_subject
from cop.notifications.models import Kind as DiscussionKind

GROUP = _l("Discussioni")
LABELS = {
    DiscussionKind.MENTION: _l("Qualcuno ti menziona"),
    DiscussionKind.REPLY: _l("Qualcuno risponde a un tuo messaggio"),
    DiscussionKind.POST: _l("Nuovi messaggi nelle discussioni e negli spazi che segui"),
    DiscussionKind.NEW_THREAD: _l("Nuove discussioni negli spazi che segui"),
}


def _load(ids) -> dict[int, Thread]:
    return {t.id: t for t in db.session.scalars(
        select(Thread).where(Thread.id.in_(ids)).options(
            joinedload(Thread.space).lazyload("*")))}


def _link(notification, thread) -> tuple[str, dict]:
    if notification.post_id:
        return "discussions.goto_post", {"post_id": notification.post_id}
    return "discussions.thread", {"slug": thread.space.slug, "thread_id": thread.id}


def _can_see(user, notification, thread) -> bool:
    return access.can(user, access.VIEW, thread)


def register() -> None:
    register_subject(Subject(
        name="thread", model=Thread, load=_load, visible=queries.thread_visible_clause,
        link=_link, place=lambda thread: thread.space.name, can_see=_can_see,
        audience=access.users_who_see_thread_clause))
    register_kind(Kind(name=DiscussionKind.MODERATION.value, subject="thread", group=GROUP,
                       label=_l("I coordinatori intervengono su ciò che hai scritto"),
                       describe=describe.describe, detail=describe.detail, optional=False,
                       order=10))
    for kind in (DiscussionKind.MENTION, DiscussionKind.REPLY, DiscussionKind.POST,
                 DiscussionKind.NEW_THREAD):
        register_kind(Kind(name=kind.value, subject="thread", group=GROUP, label=LABELS[kind],
                           describe=describe.describe, detail=describe.detail, order=10))
