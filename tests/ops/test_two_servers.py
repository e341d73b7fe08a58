"""Two app servers behind one address (issue 19): everything kept between requests is seen by
both. Two gunicorn servers run on loopback against one scratch PostgreSQL database (migrated
with `flask db upgrade`, reference data from `flask cop seed-reference`) and one Redis for the
rate limits, with the same SECRET_KEY, as production runs them. The
clients are plain urllib browsers whose cookie jar ignores the port, like a browser behind a
load balancer: a session opened on one server is used on the other.

- a write mix split across both servers, from several client threads at once, loses nothing;
- a change made through one server is seen on the other's skills map at once (the stored
  figures are renewed with the write), and both servers show the same dashboard figures;
- failed sign-ins spread over both servers are throttled as one: the 429 comes after
  LOGIN_RATE_LIMIT (10) failures, counted across both;
- two email workers run at once on the emails the writes left (NOTIFICATION_EMAIL_WORKER):
  each leaves exactly once, through a real SMTP server on loopback.

Runs in the PostgreSQL step of `.ci/run` (COP_TEST_DATABASE_URL set) with Redis on
127.0.0.1:6379 (COP_TEST_REDIS_URL to use another); skipped otherwise, as two servers on one
SQLite file is no setup anybody runs. It uses a database of its own, never the suite's, and
keys of its own in Redis (a prefix per run, deleted afterwards): no `commits` mark.
"""
from __future__ import annotations

import csv
import html
import http.cookiejar
import io
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select

from cop import create_app
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.network.models import Ats
from cop.notifications.models import Notification
from tests.conftest import TEST_PASSWORD
from tests.factories import Factory

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("COP_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
SPACE = "alleanza-bergamo-1"
START_SECONDS = 45  # a server that is not ready by then has failed
_CSRF_INPUT = re.compile(r'<input\b[^>]*\bname="csrf_token"[^>]*>')
_VALUE = re.compile(r'\bvalue="([^"]*)"')


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}: the two servers share their rate limits there")
    return client


pytestmark = pytest.mark.skipif(
    not os.environ.get("COP_TEST_DATABASE_URL"),
    reason="two app servers share one PostgreSQL database: runs with COP_TEST_DATABASE_URL "
           "(the PostgreSQL step of .ci/run)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers = status, headers
        self.text = html.unescape(body.decode("utf-8", "replace"))

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Browser:
    """One person's browser: its cookies go to both servers (a cookie ignores the port)."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def request(self, url: str, data: dict | None = None) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(url, data=body), timeout=30) as answer:
                return Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            with error:
                return Response(error.code, error.headers, error.read())

    def get(self, url: str) -> Response:
        return self.request(url)

    def submit(self, form_url: str, fields: dict, action: str | None = None) -> Response:
        """Opens the form's page, then posts `fields` with the page's CSRF token."""
        page = self.get(form_url)
        assert page.status == 200, f"{form_url}: {page.status}"
        tag = _CSRF_INPUT.search(page.text)
        assert tag, f"{form_url} has no CSRF token"
        token = _VALUE.search(tag.group(0)).group(1)
        return self.request(action or form_url, {"csrf_token": token, **fields})

    def sign_in(self, server: str, email: str, password: str = TEST_PASSWORD) -> Response:
        return self.submit(f"{server}/accedi", {"email": email, "password": password})


def _wait_ready(process: subprocess.Popen, url: str, log: Path, deadline: float) -> None:
    while True:
        if process.poll() is not None:
            raise AssertionError(f"{url} exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/health/ready", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass  # not listening yet, or 503 while it starts
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} not ready in {START_SECONDS} s:\n{log.read_text()}")
        time.sleep(0.1)


def _flask(env: dict, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"flask {' '.join(args)}:\n{done.stdout}\n{done.stderr}"


def _people(url: str) -> dict:
    """The people of the test, through the factories, in the scratch database."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "seeding",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "TESTING": True})
    factory = Factory(app)
    world = factory.world()
    posters = [world.coordinator, world.member,
               *(factory.user(name=f"Persona {n}") for n in range(2))]
    for person in posters[2:]:
        factory.member(world.reserved, person)
    with app.app_context():
        bergamo = db.session.scalar(select(Ats.id).where(Ats.code == "BG"))
        db.engine.dispose()
    return {"app": app, "world": world, "posters": posters, "bergamo": bergamo}


def _map_row(page: str, ats_name: str) -> list[int]:
    row = re.search(rf'<tr><th scope="row">{ats_name}</th>(.*?)</tr>', page).group(1)
    return [int(n) for n in re.findall(r"<td>(\d+)</td>", row)]


def _csv_figure(text: str, label: str) -> str:
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    return next(value for _section, figure, value, *_ in rows if figure == label)


def _computed_at(page: str) -> str:
    return re.search(r"Calcolato il ([^;]+);", page).group(1)


def _count(app, statement) -> int:
    with app.app_context():
        try:
            return db.session.scalar(statement)
        finally:
            db.session.remove()
            db.engine.dispose()


def test_two_servers_share_writes_figures_and_limits(_worker_database, tmp_path, smtp,
                                                     smtp_server):
    pytest.importorskip("gunicorn", reason="gunicorn (the deploy extra): run `make install`")
    store = _redis_or_skip()
    url = _worker_database("two_servers")  # a scratch database, dropped at the session's end
    prefix = f"cop-two-servers-{secrets.token_hex(4)}"
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("COP_", "FLASK_"))}
    env = {**base_env, "FLASK_APP": "cop", "COP_DATABASE_URL": url}
    _flask(env, "db", "upgrade")
    _flask(env, "cop", "seed-reference")
    people = _people(url)

    ports = [_free_port(), _free_port()]
    servers = [f"http://127.0.0.1:{port}" for port in ports]
    env.update({
        "COP_SECRET_KEY": f"two-servers-{secrets.token_hex(16)}",
        "COP_SESSION_COOKIE_SECURE": "false", "COP_REMEMBER_COOKIE_SECURE": "false",
        "COP_UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "COP_MAIL_FOLDER": str(tmp_path / "mail"),
        "COP_SERVER_URL": servers[0],
        "COP_RATELIMIT_STORAGE_URI": REDIS_URL, "COP_RATELIMIT_KEY_PREFIX": prefix,
        # replies leave their emails to the workers of (d)
        "COP_NOTIFICATION_EMAIL_WORKER": "true",
        "COP_MAIL_SERVER": smtp_server.host, "COP_MAIL_PORT": str(smtp_server.port),
    })
    with ExitStack() as stack:
        deadline = time.monotonic() + START_SECONDS
        started = []
        for port in ports:
            log = tmp_path / f"gunicorn-{port}.log"
            output = stack.enter_context(log.open("w"))
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
                 "--workers", "1", "--threads", "4", "--graceful-timeout", "5",
                 "cop:create_app()"],
                cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
            stack.callback(_stop, process)
            started.append((process, log))
        stack.callback(_forget_keys, store, prefix)
        for (process, log), server in zip(started, servers):
            _wait_ready(process, server, log, deadline)

        _write_mix(people, servers)
        _figures_everywhere(people, servers)
        _limits_counted_once(servers)
        _two_email_workers(people, env, smtp)
        for process, log in started:
            assert process.poll() is None, log.read_text()


def _write_mix(people: dict, servers: list[str]) -> None:
    """(a) Four people at once, each signed in on one server, write threads and replies
    alternately through both, some replies to one shared thread: nothing is lost."""
    app, posters = people["app"], people["posters"]
    rounds = 3
    opener = Browser()
    assert opener.sign_in(servers[0], posters[0].email).status == 302
    created = opener.submit(f"{servers[1]}/spazi/{SPACE}/discussioni/nuova", {
        "title": "Discussione di tutti", "kind": "esperienza", "body": "Rispondete qui.",
        "tags": ""})
    assert created.status == 302, created.text[:2000]
    shared = int(re.search(r"/discussioni/(\d+)", created.location).group(1))

    def write(index: int) -> list[int]:
        person, browser = posters[index], Browser()
        statuses = [browser.sign_in(servers[index % 2], person.email).status]
        for k in range(rounds):
            here, there = servers[(index + k) % 2], servers[(index + k + 1) % 2]
            thread = browser.submit(f"{here}/spazi/{SPACE}/discussioni/nuova", {
                "title": f"Prova {index}-{k}", "kind": "domanda", "body": f"Testo {index}-{k}",
                "tags": ""})
            statuses.append(thread.status)
            thread_id = re.search(r"/discussioni/(\d+)", thread.location).group(1)
            for server, target in ((there, thread_id), (here, shared)):
                statuses.append(browser.submit(
                    f"{server}/spazi/{SPACE}/discussioni/{target}/rispondi",
                    {"body": f"Risposta {index}-{k} a {target}", "parent_id": ""}).status)
        return statuses

    with ThreadPoolExecutor(len(posters)) as pool:
        statuses = [s for result in pool.map(write, range(len(posters))) for s in result]
    assert statuses == [302] * len(posters) * (1 + 3 * rounds)

    writers = len(posters) * rounds
    assert _count(app, select(func.count(Thread.id)).where(Thread.title.like("Prova %"))) \
        == writers
    assert _count(app, select(func.count(Post.id)).join(Thread, Thread.id == Post.thread_id)
                  .where(Thread.title.like("Prova %"))) == 2 * writers  # opening and a reply
    assert _count(app, select(func.count(Post.id)).where(Post.thread_id == shared)) \
        == 1 + writers
    assert _count(app, select(Thread.post_count).where(Thread.id == shared)) == 1 + writers
    assert _count(app, select(Thread.reply_count).where(Thread.id == shared)) == writers


def _two_email_workers(people: dict, env: dict, smtp) -> None:
    """(d) Two email workers (one per server) drain the queue the writes left at once: they
    tell the followers of every new post once, every email leaves exactly once, and every
    row is settled."""
    from cop.notifications.models import Fanout

    app = people["app"]
    with app.app_context():
        posts_to_tell = _count(app, select(func.count(Fanout.id)))
        before = set(db.session.scalars(select(Notification.id)))
        db.engine.dispose()
    assert posts_to_tell > 10, "the write mix leaves posts whose followers the workers tell"
    smtp.messages.clear()
    workers = [subprocess.Popen([sys.executable, "-m", "flask", "cop",
                                 "send-notification-emails"], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
               for _ in range(2)]
    for worker in workers:
        output, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0, output
    with app.app_context():
        told = db.session.execute(select(Notification.id, Notification.user_id,
                                         Notification.post_id)
                                  .where(Notification.id.not_in(before))).all()
        waiting = {n.id for n in told}
        db.engine.dispose()
    assert len(waiting) > 10, "the workers told the followers"
    assert len({(n.user_id, n.post_id) for n in told}) == len(told)  # each person once a post
    assert _count(app, select(func.count(Fanout.id))) == 0
    sent = [m.message["Message-ID"] for m in smtp.messages]
    assert sorted(sent) == sorted(f"<notifica-{n}@cop.local>" for n in waiting)  # each once
    assert _count(app, select(func.count(Notification.id)).where(
        Notification.id.in_(waiting), Notification.email_pending.is_(False),
        Notification.emailed_at.is_not(None))) == len(waiting)


def _figures_everywhere(people: dict, servers: list[str]) -> None:
    """(b) The skills map: a profile saved through one server shows at once on both (the stored
    figures are renewed with the write; per-process figures would stay old on the other).
    The dashboard: both servers show the figures computed once, at the same moment."""
    world = people["world"]
    viewer, person = Browser(), Browser()
    assert viewer.sign_in(servers[1], world.outsider.email).status == 302
    assert person.sign_in(servers[0], world.member.email).status == 302
    maps = [f"{server}/rubrica/mappa?ats={people['bergamo']}" for server in servers]
    before = [_map_row(viewer.get(page).text, "Bergamo") for page in maps]  # kept on both
    assert before[0] == before[1]
    saved = person.submit(f"{servers[0]}/profilo/competenze", {
        "visibility": "tutti", "topics": "", "languages": "", "skill_A1": "4"})
    assert saved.status == 302, saved.text[:2000]
    for page in reversed(maps):
        assert _map_row(viewer.get(page).text, "Bergamo")[0] == before[0][0] + 1

    coordinator = Browser()
    assert coordinator.sign_in(servers[0], world.coordinator.email).status == 302
    dashboard = f"/spazi/{SPACE}/cruscotto"
    first = coordinator.get(servers[0] + dashboard + ".csv")
    assert first.status == 200
    contributions = _csv_figure(first.text, "Contributi negli ultimi 30 giorni")
    assert int(contributions) >= 1 + 2 * len(people["posters"]) * 3  # the write mix's
    again = person.submit(f"{servers[1]}/spazi/{SPACE}/discussioni/nuova", {
        "title": "Dopo il calcolo", "kind": "domanda", "body": "Non ancora contata.",
        "tags": ""})
    assert again.status == 302
    # the other server reads the figures stored once (in the database), not figures of its own
    assert _csv_figure(coordinator.get(servers[1] + dashboard + ".csv").text,
                       "Contributi negli ultimi 30 giorni") == contributions
    pages = [coordinator.get(server + dashboard).text for server in servers]
    assert _computed_at(pages[0]) == _computed_at(pages[1])


def _limits_counted_once(servers: list[str]) -> None:
    """(c) Ten failed sign-ins, alternately on each server, then the next is refused on both:
    the limit counts across servers (in each process's memory, five each would not reach it)."""
    for attempt in range(10):
        answer = Browser().sign_in(servers[attempt % 2], "nessuno@example.org", "Sbagliata-123")
        assert answer.status == 200 and "Email o password non corretti." in answer.text, attempt
    for server in servers:
        assert Browser().sign_in(server, "nessuno@example.org", "Sbagliata-123").status == 429


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # gunicorn: graceful stop on SIGTERM
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _forget_keys(store: redis.Redis, prefix: str) -> None:
    keys = list(store.scan_iter(match=f"*{prefix}*", count=1000))
    if keys:
        store.delete(*keys)
    store.close()
