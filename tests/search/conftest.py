"""Discussions written through their services, and searches run as a given person."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cop.auth.models import User
from cop.discussions import services
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.search import queries
from cop.spaces.models import Space


class Discussions:
    def __init__(self, app):
        self.app = app

    def _user(self, person) -> User:
        return db.session.get(User, person.id)

    def thread(self, space, author, title, body, kind="esperienza", tags=()) -> SimpleNamespace:
        with self.app.app_context():
            written = services.create_thread(db.session.get(Space, space.id), self._user(author),
                                             title=title, kind=kind, body=body, tags=list(tags))
            db.session.commit()
            return SimpleNamespace(id=written.thread.id, post_id=written.post.id,
                                   space=space)

    def reply(self, thread, author, body) -> int:
        with self.app.app_context():
            written = services.reply(db.session.get(Thread, thread.id), self._user(author),
                                     body=body)
            db.session.commit()
            return written.post.id

    def edit(self, post_id, editor, body, **opening):
        with self.app.app_context():
            # edit_post replaces the tags (lazy="raise"): load them, as the page does.
            post = db.session.scalar(select(Post).where(Post.id == post_id).options(
                joinedload(Post.thread).selectinload(Thread.tags)))
            services.edit_post(post, self._user(editor), body=body, **opening)
            db.session.commit()

    def delete(self, post_id, actor):
        with self.app.app_context():
            services.delete_post(db.session.get(Post, post_id), self._user(actor))
            db.session.commit()

    def hide_post(self, post_id, actor, hidden=True):
        with self.app.app_context():
            services.set_post_hidden(db.session.get(Post, post_id), self._user(actor), hidden,
                                     "Fuori tema")
            db.session.commit()

    def hide_thread(self, thread, actor, hidden=True):
        with self.app.app_context():
            services.set_thread_hidden(db.session.get(Thread, thread.id), self._user(actor),
                                       hidden, "Da rivedere")
            db.session.commit()

    def move(self, thread, actor, target):
        with self.app.app_context():
            services.move_thread(db.session.get(Thread, thread.id), self._user(actor),
                                 db.session.get(Space, target.id), "Più adatta qui")
            db.session.commit()

    def search(self, person, text, **filters) -> queries.SearchPage:
        with self.app.app_context():
            return queries.search(self._user(person), text, **filters)

    def found(self, person, text, **filters) -> list[tuple[str, int]]:
        return [(h.doc_type, h.doc_id) for h in self.search(person, text, **filters).hits]


@pytest.fixture
def disc(app):
    return Discussions(app)
