"""Writing discussions as the services do, and reading what people were told."""
from __future__ import annotations

import html

from sqlalchemy import select

from cop.auth.models import User
from cop.discussions import services
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.notifications.models import Notification
from cop.spaces.models import Space


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def new_thread(app, space, author, title="Orari flessibili: come vi organizzate?",
               body="Da noi si entra tra le 8 e le 10.") -> tuple[int, int]:
    """(thread id, opening post id)"""
    with app.app_context():
        written = services.create_thread(db.session.get(Space, space.id),
                                         db.session.get(User, author.id), title=title,
                                         kind="domanda", body=body)
        db.session.commit()
        return written.thread.id, written.post.id


def add_reply(app, thread_id, author, body="Noi con la banca delle ore.", parent_id=None) -> int:
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        parent = db.session.get(Post, parent_id) if parent_id else None
        written = services.reply(thread, db.session.get(User, author.id), body=body, parent=parent)
        db.session.commit()
        return written.post.id


def handle(app, person) -> str:
    with app.app_context():
        return db.session.get(User, person.id).handle


def notifications_of(app, person) -> list[tuple[str, int | None]]:
    """(kind, post id) of everything a person was told, oldest first, visible or not."""
    with app.app_context():
        return [(n.kind, n.post_id) for n in db.session.scalars(
            select(Notification).where(Notification.user_id == person.id)
            .order_by(Notification.id))]


def thread_url(space, thread_id) -> str:
    return f"/spazi/{space.slug}/discussioni/{thread_id}"


def tell_followers(app) -> int:
    """The email worker's first step alone (with NOTIFICATION_EMAIL_WORKER a new post's
    followers are told by it): the notifications written, no email sent yet."""
    from cop.notifications import services as notifications

    with app.app_context():
        told = notifications.tell_followers_waiting()
        db.session.commit()
        return told
