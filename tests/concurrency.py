"""Many people posting a form at the same moment, through a real threaded server."""
from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from sqlalchemy.engine import Engine
from werkzeug.serving import make_server

from cop.extensions import db
from tests.conftest import Client


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


def post_at_once(app, people, path: str, form: Callable[[int], dict]) -> list[int]:
    """Signs each person in, then has them all POST `form(i)` to `path` together (a barrier
    releases them at once). Returns the HTTP statuses."""
    with app.app_context():
        assert isinstance(db.engine, Engine), (
            "a threaded server needs real commits: mark the test @pytest.mark.commits")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    base = f"http://127.0.0.1:{server.server_port}"
    clients = []
    for person in people:
        client = Client(app)
        client.login(person.email)
        clients.append(client)
    statuses, barrier = [], threading.Barrier(len(clients))

    def post(index: int, client: Client):
        data = urllib.parse.urlencode({"csrf_token": client.csrf_token(), **form(index)}).encode()
        cookie = client.http.get_cookie("session").value
        request = urllib.request.Request(base + path, data=data,
                                         headers={"Cookie": f"session={cookie}"})
        barrier.wait()
        try:
            status = urllib.request.build_opener(_NoRedirect).open(request, timeout=60).status
        except urllib.error.HTTPError as error:
            status = error.code
        statuses.append(status)

    workers = [threading.Thread(target=post, args=(i, c)) for i, c in enumerate(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    server.shutdown()
    server.server_close()
    return statuses
