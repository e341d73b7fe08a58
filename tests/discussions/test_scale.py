"""A thread page costs the same with 5 replies as with 500; concurrent replies lose nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cop.auth.models import User
from cop.discussions import services
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.spaces.models import Space
from tests.concurrency import post_at_once


def _grow(app, thread_id, author_id, n):
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        author = db.session.get(User, author_id)
        parent = None
        for i in range(n):
            post = services.reply(thread, author, body=f"Risposta **{i}**", parent=parent).post
            parent = post if i % 3 == 0 else None  # some nesting
        db.session.commit()


def _pages(world, thread_id):
    base = f"/spazi/{world.reserved.slug}/discussioni"
    return [f"{base}/{thread_id}", f"{base}/{thread_id}?pagina=2", f"{base}/", "/discussioni",
            f"/spazi/{world.reserved.slug}/"]


def test_thread_and_list_pages_run_a_constant_number_of_statements(app, world, count_queries,
                                                                   new_client):
    with app.app_context():
        written = services.create_thread(db.session.get(Space, world.reserved.id),
                                         db.session.get(User, world.member.id),
                                         title="Molte risposte",
                                         kind="esperienza", body="Inizio", tags=["a", "b"])
        db.session.commit()
        thread_id = written.thread.id
    client = new_client()
    client.login(world.member.email)

    def measure():
        counts = {}
        for url in _pages(world, thread_id):
            with count_queries() as statements:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[url] = len(statements)
        return counts

    _grow(app, thread_id, world.coordinator.id, 55)  # two pages
    small = measure()
    _grow(app, thread_id, world.coordinator.id, 445)
    large = measure()
    assert large == small
    assert max(small.values()) <= 15, small


def test_no_markdown_is_rendered_when_a_thread_is_read(app, world, new_client, monkeypatch):
    with app.app_context():
        written = services.create_thread(db.session.get(Space, world.reserved.id),
                                         db.session.get(User, world.member.id),
                                         title="Senza render",
                                         kind="esperienza", body="*Testo*")
        db.session.commit()
        thread_id = written.thread.id
    import cop.markdown

    def forbidden(*args, **kwargs):
        raise AssertionError("Markdown rendered at read time")

    monkeypatch.setattr(cop.markdown, "render_markdown", forbidden)
    monkeypatch.setattr(services, "render_markdown", forbidden)
    monkeypatch.setattr("markdown.markdown", forbidden)
    client = new_client()
    client.login(world.member.email)
    page = client.get(f"/spazi/{world.reserved.slug}/discussioni/{thread_id}")
    assert "<em>Testo</em>" in page.get_data(as_text=True)


@pytest.mark.commits
def test_concurrent_replies_to_one_thread_are_all_kept(app, factory, world):
    """Sixteen people reply at the same moment through a real threaded server."""
    with app.app_context():
        written = services.create_thread(db.session.get(Space, world.regional.id),
                                         db.session.get(User, world.coordinator.id),
                                         title="Tutti insieme", kind="domanda", body="Rispondete!")
        db.session.commit()
        thread_id = written.thread.id
    people = [factory.user(name=f"Persona Veloce {i}") for i in range(16)]
    statuses = post_at_once(app, people,
                            f"/spazi/{world.regional.slug}/discussioni/{thread_id}/rispondi",
                            lambda i: {"body": f"Risposta concorrente {i}"})
    assert statuses == [302] * 16
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        keys = db.session.scalars(select(Post.sort_key).where(Post.thread_id == thread_id,
                                                              Post.depth == 1)).all()
        rows = db.session.scalar(select(func.count()).select_from(Post).where(
            Post.thread_id == thread_id))
    assert rows == thread.post_count == 17
    assert thread.reply_count == 16
    assert sorted(keys) == [str(n).zfill(6) for n in range(1, 17)]  # each its own place
