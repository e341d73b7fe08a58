"""A thread page costs the same with 5 replies as with 500; concurrent replies lose nothing."""
from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request

from sqlalchemy import func, select
from werkzeug.serving import make_server

from cop.auth.models import User
from cop.discussions import services
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.spaces.models import Space
from tests.conftest import Client


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
                                         db.session.get(User, world.member.id), title="Molte risposte",
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
                                         db.session.get(User, world.member.id), title="Senza render",
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


def test_concurrent_replies_to_one_thread_are_all_kept(app, factory, world):
    """Sixteen people reply at the same moment through a real threaded server."""
    with app.app_context():
        written = services.create_thread(db.session.get(Space, world.regional.id),
                                         db.session.get(User, world.coordinator.id),
                                         title="Tutti insieme", kind="domanda", body="Rispondete!")
        db.session.commit()
        thread_id = written.thread.id
    people = [factory.user(name=f"Persona Veloce {i}") for i in range(16)]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    base = f"http://127.0.0.1:{server.server_port}"
    clients = []
    for person in people:
        client = Client(app)
        client.login(person.email)
        clients.append(client)
    errors, barrier = [], threading.Barrier(len(clients))

    def reply(index: int, client: Client):
        data = urllib.parse.urlencode({"csrf_token": client.csrf_token(),
                                       "body": f"Risposta concorrente {index}"}).encode()
        cookie = client.http.get_cookie("session").value
        request = urllib.request.Request(
            f"{base}/spazi/{world.regional.slug}/discussioni/{thread_id}/rispondi", data=data,
            headers={"Cookie": f"session={cookie}"})
        barrier.wait()
        try:
            status = urllib.request.build_opener(_NoRedirect).open(request, timeout=60).status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 302:
            errors.append(status)

    workers = [threading.Thread(target=reply, args=(i, c)) for i, c in enumerate(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    server.shutdown()
    assert errors == []
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        keys = db.session.scalars(select(Post.sort_key).where(Post.thread_id == thread_id,
                                                              Post.depth == 1)).all()
        rows = db.session.scalar(select(func.count()).select_from(Post).where(
            Post.thread_id == thread_id))
    assert rows == thread.post_count == 17
    assert thread.reply_count == 16
    assert sorted(keys) == [str(n).zfill(6) for n in range(1, 17)]  # each its own place
