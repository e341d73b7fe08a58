"""`make bench`: the main pages under load, on SQLite and PostgreSQL, at regional scale ×10.

For each database: build (once) a factor-N database with `python -m bench.scale`, serve it with
gunicorn (3 sync workers: 2 cores), sign in as a plain member, then for each page drive a fixed
concurrency with wrk (4 connections, 30 s) and read the statements per request from the
server's X-SQL-Statements header. Then a write mix: 16 clients, 80 % reads and 20 % new
replies for 60 s, checking that no reply is lost (before it, the same mix at a fixed
arrival rate, 30 requests/s for 30 s, timed from when each request was due); meanwhile
(unless --no-faults) the mail server stops for 30 s and the email worker is killed and
started again; once the mix is over, while the worker sends the backlog, the mail server
stops again for 10 s in the middle of a batch and the worker is killed in the middle of
another; afterwards every notification the database says was emailed is looked up among the
Message-IDs the mail server received (lost, duplicated). Prints one table per database and
writes it with the date and the machine to bench/results/<date>-<database>.json.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
WRK_SCRIPT = ROOT / "bench" / "report.lua"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')

# (p50, p95) targets in ms, from the page and search rows the issue asks for.
TARGETS = {"page": (15, 40), "search_selective": (None, 20), "search_common": (None, 150)}
# Not a page: what the server and the load tool cost with no page work (a static file through
# Flask, signed in), the floor under every row.
FLOOR = ("floor: a static file, no page work", "/static/css/cop.css", "floor")
# What pages() reads from the seeding facts: a database built before a feature is rebuilt.
REQUIRED_FACTS = ("busy_thread", "long_thread", "rare_word", "common_word", "practice_id",
                  "meeting_id", "calendar_month", "directory_skill", "directory_word")


def pages(facts: dict) -> list[tuple[str, str, str]]:
    busy, long = facts["busy_thread"], facts["long_thread"]
    rare, common = facts["rare_word"], facts["common_word"]
    last = -(-(long["post_count"]) // 50)
    return [
        ("space home", f"/spazi/{busy['slug']}/", "page"),
        ("space discussions", f"/spazi/{busy['slug']}/discussioni/", "page"),
        ("thread page", f"/spazi/{busy['slug']}/discussioni/{busy['id']}", "page"),
        ("500-reply thread, first page", f"/spazi/{long['slug']}/discussioni/{long['id']}", "page"),
        ("500-reply thread, last page",
         f"/spazi/{long['slug']}/discussioni/{long['id']}?pagina={last}", "page"),
        ("regional discussions", "/discussioni", "page"),
        ("search, selective word", f"/cerca?q={urllib.parse.quote(rare)}", "search_selective"),
        ("search, common word", f"/cerca?q={urllib.parse.quote(common)}", "search_common"),
        ("notifications", "/notifiche/", "page"),
        ("library with facets", "/pratiche/?destinatari=persone", "page"),
        ("library search", "/pratiche/?q=caregiver", "search_selective"),
        ("practice page", f"/pratiche/{facts['practice_id']}", "page"),
        # the big plenary: 12 items, 15 decisions, 40 actions, ~150 in the register
        ("meeting page", f"/incontri/{facts['meeting_id']}", "page"),
        ("calendar, busiest month",
         f"/calendario/?tutti=1&mese={facts['calendar_month']}", "page"),
        ("my actions", "/azioni/", "page"),
        ("directory search, a skill", f"/rubrica/?competenza={facts['directory_skill']}",
         "page"),
        ("directory search, a word", f"/rubrica/?q={urllib.parse.quote(facts['directory_word'])}",
         "page"),
        ("skills map", "/rubrica/mappa", "page"),
        ("trainers", "/rubrica/formatori", "page"),
        ("home", "/", "page"),
    ]


def admin_pages(facts: dict) -> list[tuple[str, str, str]]:
    """Pages for the people who run spaces, measured signed in as the admin (who may read them
    all): the busiest space's dashboard and the regional one."""
    busy = facts["busy_thread"]
    return [
        ("space dashboard", f"/spazi/{busy['slug']}/cruscotto", "page"),
        ("regional dashboard", "/cruscotto/", "page"),
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd, env=None, **kwargs):
    return subprocess.run(cmd, env={**os.environ, **(env or {})}, check=True, cwd=ROOT, **kwargs)


def database_url(backend: str, factor: int) -> str:
    if backend == "sqlite":
        return f"sqlite:///{ROOT / 'instance' / f'bench-f{factor}.db'}"
    return f"postgresql://postgres@127.0.0.1:5432/cop_bench_f{factor}"


def prepare(backend: str, factor: int) -> dict:
    """The factor-N database, built once; returns the seeding facts."""
    url = database_url(backend, factor)
    facts_path = ROOT / "instance" / f"bench-f{factor}-{backend}.json"
    if facts_path.exists():
        facts = json.loads(facts_path.read_text())
        missing = [key for key in REQUIRED_FACTS if key not in facts]
        if not missing:
            run([str(BIN / "flask"), "db", "upgrade"],
                {"COP_DATABASE_URL": url, "FLASK_APP": "cop"})
            return facts
        print(f"== {backend}: the factor-{factor} database predates {', '.join(missing)}: "
              f"rebuilding it", flush=True)
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        name = url.rsplit("/", 1)[1]
        run(["psql", PG_ADMIN, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}"',
             "-c", f'CREATE DATABASE "{name}"'])
    env = {"COP_DATABASE_URL": url, "FLASK_APP": "cop"}
    print(f"== {backend}: building the factor-{factor} database (once)", flush=True)
    run([str(BIN / "flask"), "db", "upgrade"], env)
    # the synthetic data generator lives beside this script, outside the app: run from the
    # repository root (run() uses cwd=ROOT), where `bench` is importable
    run([str(BIN / "python"), "-m", "bench.scale", "--factor", str(factor),
         "--facts", str(facts_path)], env)
    return json.loads(facts_path.read_text())


NOTIFICATION_ID = re.compile(r"<notifica-(\d+)@cop\.local>")


class SmtpSink:
    """A local mail server that accepts every message and writes its Message-ID in `log`, one
    a line, flushed before it answers 250, in a process of its own (niced: it stands for the
    region's mail server, which is not on the web server's cores). stop() and start() again:
    the mail server goes away and comes back on the same port."""

    def __init__(self, log: Path):
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen | None = None
        log.write_text("")

    @property
    def running(self) -> bool:
        return self.process is not None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["nice", "-n", "10", str(BIN / "python"), str(Path(__file__).resolve()),
             "--smtp-sink", str(self.port), "--smtp-log", str(self.log)], cwd=ROOT)
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None

    def received(self) -> list[str]:
        """The Message-IDs received so far, in order, one per message."""
        return [line for line in self.log.read_text().splitlines() if line.endswith(">")]

    def receiving(self, window: float, cancelled: threading.Event) -> bool:
        """Whether messages arrive within the next `window` seconds (a worker sending)."""
        before = len(self.received())
        if cancelled.wait(window):
            return False
        return len(self.received()) > before


def serve_smtp_sink(port: int, log_path: str) -> None:
    """The sink's process (`run.py --smtp-sink PORT --smtp-log FILE`): aiosmtpd on loopback,
    until SIGTERM."""
    import asyncio
    from email.parser import BytesHeaderParser

    from aiosmtpd.smtp import SMTP

    log = open(log_path, "a", encoding="utf-8")
    parser = BytesHeaderParser()

    class Counting:
        async def handle_DATA(self, server, session, envelope):
            message_id = parser.parsebytes(envelope.original_content or envelope.content,
                                           headersonly=True)["Message-ID"]
            log.write(" ".join(str(message_id or "<none>").split()) + "\n")
            log.flush()  # written before the 250: what the worker saw accepted is in the file
            return "250 OK"

    async def serve():
        # hostname given: aiosmtpd would otherwise ask the resolver for it at each connection
        server = await asyncio.get_running_loop().create_server(
            lambda: SMTP(Counting(), hostname="sink.local"), "127.0.0.1", port,
            reuse_address=True)
        await server.serve_forever()

    asyncio.run(serve())


@contextmanager
def smtp_sink(log: Path):
    """A running SmtpSink, stopped at the end."""
    sink = SmtpSink(log)
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


class EmailWorker:
    """The email worker (`flask cop send-notification-emails --watch`), as in production beside
    the web server; niced, so that on a busy machine the pages go first and the emails catch up
    after. kill() is a crash (SIGKILL); start() again runs it with the same environment. Its
    output goes to `log` (a pass that finds the mail server down logs a traceback)."""

    def __init__(self, env: dict, log: Path):
        self.env = {**os.environ, **env, "FLASK_APP": "cop"}
        self.log = log
        self.process: subprocess.Popen | None = None
        log.write_text("")

    @property
    def running(self) -> bool:
        return self.process is not None

    def start(self) -> None:
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(
                ["nice", "-n", "10", str(BIN / "flask"), "cop", "send-notification-emails",
                 "--watch", "--poll", "0.5"], env=self.env, cwd=ROOT, stdout=output,
                stderr=subprocess.STDOUT)

    def mail_server_failures(self) -> int:
        """How many passes so far found the mail server down (from the worker's log)."""
        return self.log.read_text(errors="replace").count("the mail server failed")

    def log_size(self) -> int:
        return len(self.log.read_text(errors="replace"))

    def mail_server_failures_since(self, offset: int) -> list[dict]:
        """The passes that found the mail server down after `offset` characters of the log:
        for each, how many messages it left waiting and the error it met last (a refused
        connection: the server was down; a closed one: it went away in the middle)."""
        text = self.log.read_text(errors="replace")[offset:]
        chunks = MAIL_SERVER_FAILED.split(text)[1:]  # (waiting, what follows) pairs
        failures = []
        for waiting, after in zip(chunks[::2], chunks[1::2]):
            errors = EXCEPTION_LINE.findall(after.split("In attesa di email", 1)[0])
            failures.append({"waiting": int(waiting), "error": errors[-1] if errors else "?"})
        return failures

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=30)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


MAIL_SERVER_FAILED = re.compile(r"the mail server failed; (\d+) wait")
EXCEPTION_LINE = re.compile(r"^(?:[A-Za-z_][\w]*\.)*([A-Z]\w*(?:Error|Exception|Disconnected|"
                            r"Refused|Exit)\w*)(?::|$)", re.MULTILINE)


def wait_for_port(port: int) -> None:
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)  # waiting for the server to listen, not for a result
    raise RuntimeError(f"nothing listens on port {port}")


@contextmanager
def server(backend: str, factor: int, smtp_port: int):
    """gunicorn and the email worker beside it; yields (the web port, the EmailWorker)."""
    port = free_port()
    env = {
        "COP_DATABASE_URL": database_url(backend, factor), "COP_SQL_COUNT_HEADER": "true",
        "COP_SESSION_COOKIE_SECURE": "false", "COP_REMEMBER_COOKIE_SECURE": "false",
        "COP_MAIL_SERVER": "127.0.0.1", "COP_MAIL_PORT": str(smtp_port),
        "COP_LOGIN_RATE_LIMIT": "1000 per minute",
    }
    env["COP_NOTIFICATION_EMAIL_WORKER"] = "true"
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "3", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "cop:create_app()"],
        env={**os.environ, **env}, cwd=ROOT)
    mailer = EmailWorker(env, ROOT / "instance" / f"bench-{backend}-mailer.log")
    mailer.start()
    try:
        wait_for_port(port)
        yield port, mailer
    finally:
        process.terminate()
        mailer.stop()
        process.wait(timeout=30)


class Session:
    """A signed-in browser over one keep-alive connection."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("session="):
                self.cookie = header.split(";", 1)[0]
        return response, data

    def login(self, email: str, password: str) -> str:
        _, page = self.request("GET", "/accedi")
        token = CSRF.search(page).group(1)
        response, _ = self.request("POST", "/accedi", {"csrf_token": token, "email": email,
                                                       "password": password})
        assert response.status == 302, f"sign-in failed: {response.status}"
        _, page = self.request("GET", "/")
        return CSRF.search(page).group(1)


def measure_page(port: int, cookie: str, path: str, seconds: int, clients: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t", str(min(2, clients)), "-c", str(clients), "-d", f"{seconds}s",
         "--timeout", "10s", "-s", str(WRK_SCRIPT), "-H", f"Cookie: {cookie}",
         f"http://127.0.0.1:{port}{path}"],
        check=True, capture_output=True, text=True).stdout
    report = json.loads(output.strip().splitlines()[-1])
    report["rps"] = report["requests"] / (report["duration_us"] / 1e6)
    return report


def statements(session: Session, path: str) -> int:
    response, _ = session.request("GET", path)
    assert response.status == 200, f"GET {path}: {response.status}"
    return int(response.headers["X-SQL-Statements"])


class Faults(threading.Thread):
    """During the write mix, the mail server and the email worker fail: at 10 s the SMTP sink
    stops, at 20 s the worker is killed (SIGKILL), at 25 s it starts again, at 40 s the sink
    starts again on the same port (times for a 60 s mix; a shorter or longer one scales
    them). Bounded: the schedule ends by itself; finish() cuts it short and leaves both
    running."""

    SCHEDULE = ((10, "mail server stopped"), (20, "email worker killed (SIGKILL)"),
                (25, "email worker started"), (40, "mail server started"))

    def __init__(self, sink: SmtpSink, mailer: EmailWorker, seconds: int, label: str):
        super().__init__(daemon=True)
        actions = (sink.stop, mailer.kill, mailer.start, sink.start)
        self.plan = [(at * seconds / 60, what, action)
                     for (at, what), action in zip(self.SCHEDULE, actions)]
        self.sink, self.mailer, self.label = sink, mailer, label
        self.cancelled = threading.Event()
        self.events: list[dict] = []
        self.began = time.monotonic()

    def run(self) -> None:
        for at, what, action in self.plan:
            if self.cancelled.wait(max(0.0, self.began + at - time.monotonic())):
                return
            action()
            self.events.append({"at_s": round(time.monotonic() - self.began, 1), "event": what})
            print(f"  {self.label} write mix, {self.events[-1]['at_s']} s: {what}", flush=True)

    def finish(self) -> None:
        self.cancelled.set()
        self.join(timeout=120)
        if not self.sink.running:
            self.sink.start()
        if not self.mailer.running:
            self.mailer.start()


class DrainFaults(threading.Thread):
    """After the write mix, while the email worker sends the backlog (thousands of emails), the
    mail server and the worker fail in the middle of its batches: once the worker is busy (at
    least 3 s after the mix, the queue shorter than at the mix's end, and messages arriving at
    the mail server) the SMTP sink stops for 10 s; 2 s after it is back, as soon as messages
    arrive again, the worker is killed (SIGKILL) and 2 s later started again. Right after the
    kill it counts the messages the mail server accepted whose notifications are still
    pending: the worker had not settled them, it will send them again (duplicates).

    Bounded: each wait has a limit (if the worker is never seen sending, the fault comes
    anyway, and the event says so); if the queue is empty before the worker was seen busy,
    the round is skipped. finish() cuts it short and leaves both running. Event times are
    seconds after the mix."""

    AFTER, DOWN, KILL_AFTER, RESTART_AFTER = 3, 10, 2, 2
    BUSY_WAIT = 120  # the longest wait for the worker to be seen sending, each time
    WINDOW = 0.2  # messages arriving within it: the worker is in the middle of a batch

    def __init__(self, sink: SmtpSink, mailer: EmailWorker, backend: str, factor: int,
                 label: str):
        super().__init__(daemon=True)
        self.sink, self.mailer, self.label = sink, mailer, label
        self.backend, self.factor = backend, factor
        self.cancelled = threading.Event()
        self.events: list[dict] = []
        self.accepted_not_settled: int | None = None
        self.began = time.monotonic()
        self.pending_at_mix_end = self.pending()

    def pending(self) -> int:
        return scalar(self.backend, self.factor,
                      "SELECT count(*) FROM notifications WHERE email_pending")

    def note(self, what: str, **facts) -> None:
        self.events.append({"at_s": round(time.monotonic() - self.began, 1), "event": what,
                            **facts})
        print(f"  {self.label} drain, {self.events[-1]['at_s']} s after the mix: {what}",
              flush=True)

    def wait(self, seconds: float) -> bool:
        """True if cancelled meanwhile."""
        return self.cancelled.wait(max(0.0, seconds))

    def until_sending(self, queue_shorter_than: int | None = None) -> bool | None:
        """Waits (at most BUSY_WAIT) until messages arrive at the mail server (and the queue
        is shorter than `queue_shorter_than`). True if seen, False if not, None if the queue
        emptied first or the round was cancelled."""
        limit = time.monotonic() + self.BUSY_WAIT
        while time.monotonic() < limit:
            pending = self.pending()
            if pending == 0:
                return None
            if queue_shorter_than is None or pending < queue_shorter_than:
                if self.sink.receiving(self.WINDOW, self.cancelled):
                    return True
            elif self.wait(self.WINDOW):
                return None
            if self.cancelled.is_set():
                return None
        return False

    def run(self) -> None:
        try:
            self.faults()
        except Exception as error:  # recorded, not raised: finish() leaves both running
            self.note(f"drain faults stopped by {type(error).__name__}: {error}")

    def faults(self) -> None:
        if self.wait(self.AFTER):
            return
        busy = self.until_sending(queue_shorter_than=self.pending_at_mix_end)
        if busy is None:
            if not self.cancelled.is_set():
                self.note("no drain faults: the queue was empty before the worker was seen "
                          "sending")
            return
        pending = self.pending()
        self.sink.stop()
        self.note("mail server stopped" + (" while the worker was sending" if busy else
                                           " (the worker was not seen sending)"),
                  pending=pending)
        if self.wait(self.DOWN):
            return
        self.sink.start()
        self.note("mail server started")
        if self.wait(self.KILL_AFTER):
            return
        busy = self.until_sending()
        if self.cancelled.is_set():
            return
        pending = self.pending()
        self.mailer.kill()
        # what the mail server accepted (written down before its 250) and the dead worker
        # had not settled yet: it goes again, a duplicate
        self.wait(0.2)  # the sink writes down a message it was reading when the worker died
        received = {int(m.group(1)) for m in map(NOTIFICATION_ID.fullmatch, self.sink.received())
                    if m}
        self.accepted_not_settled = len(received & ids(
            self.backend, self.factor, "SELECT id FROM notifications WHERE email_pending"))
        self.note(("email worker killed (SIGKILL) while sending" if busy else
                   "email worker killed (SIGKILL), not seen sending" if busy is False else
                   "email worker killed (SIGKILL), the queue empty")
                  + f": {self.accepted_not_settled} accepted by the mail server, not settled",
                  pending=pending, accepted_not_settled=self.accepted_not_settled)
        if self.wait(self.RESTART_AFTER):
            return
        self.mailer.start()
        self.note("email worker started")

    def finish(self) -> None:
        self.cancelled.set()
        self.join(timeout=120)
        if not self.sink.running:
            self.sink.start()
        if not self.mailer.running:
            self.mailer.start()


def write_mix(port: int, facts: dict, backend: str, factor: int, seconds: int,
              clients: int, sink: SmtpSink, mailer: EmailWorker, faults: bool = True) -> dict:
    """16 people read the thread page (80 %) and reply to it (20 %) at once; with `faults`,
    the mail server and the email worker fail meanwhile (Faults) and again while the worker
    sends the backlog (DrainFaults). Then it checks each notification the database says was
    emailed against what the mail server received."""
    emailed = "SELECT count(*) FROM notifications WHERE emailed_at IS NOT NULL"
    given_up = "SELECT count(*) FROM notifications WHERE email_error IS NOT NULL " \
               "AND NOT email_pending"
    emails_before = scalar(backend, factor, emailed)
    given_up_before = scalar(backend, factor, given_up)
    # what this mix may email: notifications made from now on, and those waiting now
    last_id = scalar(backend, factor, "SELECT coalesce(max(id), 0) FROM notifications")
    waiting = ids(backend, factor, "SELECT id FROM notifications WHERE email_pending")
    received_before = len(sink.received())
    failures_before = mailer.mail_server_failures()
    thread = facts["busy_thread"]
    path = f"/spazi/{thread['slug']}/discussioni/{thread['id']}"
    people = facts["writers"][:clients]
    before = post_count(backend, factor, thread["id"])
    results, lock = [], threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(index: int, email: str):
        session = Session(port)
        token = session.login(email, facts["password"])
        rng = random.Random(index)
        mine = []
        while time.monotonic() < deadline:
            writing = rng.random() < 0.2
            start = time.perf_counter()
            if writing:
                response, _ = session.request("POST", path + "/rispondi", {
                    "csrf_token": token, "body": f"Risposta di prova {index} delle {time.time()}"})
            else:
                response, _ = session.request("GET", path)
            mine.append((writing, response.status, time.perf_counter() - start))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker, args=(i, e)) for i, e in enumerate(people)]
    schedule = Faults(sink, mailer, seconds, backend) if faults else None
    try:
        for t in threads:
            t.start()
        if schedule:
            schedule.start()
        for t in threads:
            t.join()
        if schedule:
            schedule.join(timeout=max(0.0, deadline - time.monotonic()) + 60)
    finally:
        if schedule:
            schedule.finish()  # whatever happened, both run again before the drain
    after = post_count(backend, factor, thread["id"])
    failures_in_mix = mailer.mail_server_failures() - failures_before
    log_at_mix_end = mailer.log_size()
    drain_round = DrainFaults(sink, mailer, backend, factor, backend) if faults else None
    pending_at_mix_end = drain_round.pending_at_mix_end if drain_round else scalar(
        backend, factor, "SELECT count(*) FROM notifications WHERE email_pending")
    try:
        if drain_round:
            drain_round.start()
        drained = emails_drained(backend, factor, faults=drain_round)
    finally:
        if drain_round:
            drain_round.finish()  # both run again, whatever happened
    drain_failures = mailer.mail_server_failures_since(log_at_mix_end)
    replies = [r for r in results if r[0]]
    accepted = sum(1 for r in replies if r[1] == 302)
    reply_times = sorted(r[2] for r in replies)
    # every notification email the worker settled as sent, against what the sink received
    first = min(waiting, default=last_id + 1)
    sent_ids = {n for n in ids(backend, factor, f"SELECT id FROM notifications WHERE emailed_at "
                                               f"IS NOT NULL AND id >= {int(first)}")
                if n > last_id or n in waiting}
    received = sink.received()
    copies: dict[int, int] = {}
    for message_id in received:
        if match := NOTIFICATION_ID.fullmatch(message_id):
            copies[int(match.group(1))] = copies.get(int(match.group(1)), 0) + 1
    during = {int(m.group(1)) for m in map(NOTIFICATION_ID.fullmatch, received[received_before:])
              if m}
    return {
        "clients": clients, "seconds": seconds, "requests": len(results),
        "reads": len(results) - len(replies), "replies_sent": len(replies),
        "replies_accepted": accepted, "replies_stored": after - before,
        "lost_replies": accepted - (after - before),
        "errors_5xx": sum(1 for r in results if r[1] >= 500),
        "other_errors": sum(1 for r in results if r[1] not in (200, 302) and r[1] < 500),
        "reply_p50_ms": percentile(reply_times, 50) * 1000,
        "reply_p95_ms": percentile(reply_times, 95) * 1000,
        "rps": len(results) / seconds,
        "faults": schedule.events if schedule else [],
        # passes that met the mix's outage (niced under the mix, the worker makes few)
        "worker_found_mail_server_down": failures_in_mix,
        "emails_pending_at_mix_end": pending_at_mix_end,
        # the second round, times after the mix (DrainFaults)
        "drain_faults": drain_round.events if drain_round else [],
        "drain_worker_found_mail_server_down": len(drain_failures),
        # each of those passes: the messages it left waiting, the error it met
        "drain_mail_server_failures": drain_failures,
        # at the drain's kill: accepted by the mail server, not yet settled by the worker
        "drain_accepted_not_settled_at_kill":
            drain_round.accepted_not_settled if drain_round else None,
        "emails_sent": scalar(backend, factor, emailed) - emails_before,
        # with faults, the drain's outage and kill included
        "emails_drained_after_s": drained,
        "emails_received": len(during),
        "emails_lost": len(sent_ids - copies.keys()),
        "emails_duplicated": sum(1 for n in during if copies[n] > 1),
        "emails_given_up": scalar(backend, factor, given_up) - given_up_before,
        "emails_still_pending": scalar(
            backend, factor, "SELECT count(*) FROM notifications WHERE email_pending"),
    }


def open_loop(port: int, facts: dict, backend: str, factor: int, rate: float, seconds: int,
              write_share: float = 0.2, senders: int = 32) -> dict:
    """Requests arriving at a fixed rate, whatever the server's pace (an open loop: people do
    not wait for each other), `write_share` of them replies to the busy thread and the rest
    views of it, for `seconds`. Each is timed from when it was due, not from when a sender
    was free to send it, so a server that falls behind shows it in the latencies (a closed
    loop would only slow down). `senders` signed-in people share the arrivals; no fault."""
    import queue

    thread = facts["busy_thread"]
    path = f"/spazi/{thread['slug']}/discussioni/{thread['id']}"
    people = (facts["writers"] * senders)[:senders]
    sessions = []
    for email in people:
        session = Session(port)
        sessions.append((session, session.login(email, facts["password"])))
    before = post_count(backend, factor, thread["id"])
    rng = random.Random(20)
    total = int(rate * seconds)
    arrivals = [(index / rate, rng.random() < write_share) for index in range(total)]
    due: queue.Queue = queue.Queue()
    results, lock = [], threading.Lock()
    began = time.perf_counter() + 0.5

    def sender(session, token) -> None:
        mine = []
        while (job := due.get()) is not None:
            at, writing = job
            if (wait := began + at - time.perf_counter()) > 0:
                time.sleep(wait)  # not yet due
            if writing:
                response, _ = session.request("POST", path + "/rispondi", {
                    "csrf_token": token, "body": f"Risposta a ritmo fisso delle {time.time()}"})
            else:
                response, _ = session.request("GET", path)
            mine.append((writing, response.status, time.perf_counter() - (began + at)))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=sender, args=pair) for pair in sessions]
    for job in arrivals:
        due.put(job)
    for _ in threads:
        due.put(None)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    replies = sorted(r[2] for r in results if r[0])
    reads = sorted(r[2] for r in results if not r[0])
    every = sorted(r[2] for r in results)
    accepted = sum(1 for r in results if r[0] and r[1] == 302)
    stored = post_count(backend, factor, thread["id"]) - before
    return {
        "rate": rate, "seconds": seconds, "requests": len(results), "replies": len(replies),
        "reads": len(reads), "p50_ms": percentile(every, 50) * 1000,
        "p95_ms": percentile(every, 95) * 1000, "p99_ms": percentile(every, 99) * 1000,
        "reply_p95_ms": percentile(replies, 95) * 1000,
        "read_p95_ms": percentile(reads, 95) * 1000,
        "errors_5xx": sum(1 for r in results if r[1] >= 500),
        "replies_accepted": accepted, "replies_stored": stored,
        "lost_replies": accepted - stored, "target": "p95 ≤ 100 ms",
        "verdict": "ok" if results and percentile(every, 95) * 1000 <= 100 else "MISS",
    }


def emails_drained(backend: str, factor: int, timeout: float = 600,
                   faults: threading.Thread | None = None) -> float | None:
    """Seconds after the mix until the email worker has sent everything the replies caused
    and the drain's `faults` are over (None if it had not within `timeout`)."""
    start = time.monotonic()
    query = "SELECT count(*) FROM notifications WHERE email_pending"
    while time.monotonic() - start < timeout:
        if scalar(backend, factor, query) == 0 and not (faults and faults.is_alive()):
            return round(time.monotonic() - start, 1)
        time.sleep(0.5)  # polling the worker's queue, not waiting for a test result
    return None


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    index = min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))
    return values[index]


def post_count(backend: str, factor: int, thread_id: int) -> int:
    return scalar(backend, factor, f"SELECT count(*) FROM posts WHERE thread_id = {int(thread_id)}")


def scalar(backend: str, factor: int, query: str) -> int:
    return rows(backend, factor, query)[0]


def ids(backend: str, factor: int, query: str) -> set[int]:
    return set(rows(backend, factor, query))


def rows(backend: str, factor: int, query: str) -> list[int]:
    """The first column of `query`'s rows, as integers."""
    url = database_url(backend, factor)
    if backend == "sqlite":
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            return [row[0] for row in conn.execute(query)]
    output = subprocess.run(["psql", url, "-tA", "-c", query], check=True, capture_output=True,
                            text=True).stdout
    return [int(line) for line in output.split()]


def machine() -> dict:
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in
                     Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpus": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "system": platform.platform()}


def verdict(kind: str, row: dict) -> str:
    if kind not in TARGETS:
        return "n/a"
    p50_target, p95_target = TARGETS[kind]
    # no answer at all (every request timed out) is not fast
    ok = row["requests"] > 0 and row["errors"] == 0 and row["p95_ms"] <= p95_target and (
        p50_target is None or row["p50_ms"] <= p50_target)
    return "ok" if ok else "MISS"


def print_table(backend: str, rows: list[dict], mix: dict) -> None:
    print(f"\n{backend}: page | req/s | p50 ms | p95 ms | p99 ms | SQL/request | errors | target")
    for r in rows:
        print(f"  {r['page']:<30} {r['rps']:7.1f} {r['p50_ms']:7.1f} {r['p95_ms']:7.1f} "
              f"{r['p99_ms']:7.1f} {r['sql_statements']:5d} {r['errors']:6d}  {r['target']}")
    if not mix:
        return
    print(f"  write mix: {mix['clients']} clients, {mix['rps']:.1f} req/s, "
          f"{mix['replies_stored']} replies stored of {mix['replies_accepted']} accepted "
          f"(lost {mix['lost_replies']}), 5xx {mix['errors_5xx']}, "
          f"reply p95 {mix['reply_p95_ms']:.1f} ms; {mix['emails_sent']} emails sent by the "
          f"worker, all out {mix['emails_drained_after_s']} s after the mix", flush=True)
    if mix["faults"]:
        print(f"  faults in the mix: mail server down {mix['seconds'] // 2} s, found down by "
              f"{mix['worker_found_mail_server_down']} passes of the worker; worker killed once",
              flush=True)
    if mix.get("drain_faults"):
        events = "; ".join(f"{e['at_s']} s: {e['event']}" for e in mix["drain_faults"])
        kinds: dict[str, int] = {}
        for failure in mix["drain_mail_server_failures"]:
            kinds[failure["error"]] = kinds.get(failure["error"], 0) + 1
        first = mix["drain_mail_server_failures"][:1]
        print(f"  faults in the drain ({mix['emails_pending_at_mix_end']} emails waiting at the "
              f"mix's end; times after it): {events}", flush=True)
        print(f"  drain outage: found by {mix['drain_worker_found_mail_server_down']} passes of "
              f"the worker ({', '.join(f'{n} {k}' for k, n in kinds.items()) or 'none'})"
              + (f", the first leaving {first[0]['waiting']} waiting" if first else "")
              + f"; at the kill {mix['drain_accepted_not_settled_at_kill']} emails accepted "
              f"by the mail server and not settled", flush=True)
    faults = "faults in the mix and the drain" if mix["faults"] or mix.get("drain_faults") \
        else "no faults"
    print(f"  emails ({faults}): {mix['emails_sent']} emailed in the database, "
          f"{mix['emails_received']} received by the mail server, "
          f"lost {mix['emails_lost']}, duplicated {mix['emails_duplicated']}, "
          f"given up {mix['emails_given_up']}, still pending {mix['emails_still_pending']}",
          flush=True)


def bench(backend: str, args) -> dict:
    facts = prepare(backend, args.factor)
    rows = []
    received = ROOT / "instance" / f"bench-{backend}-received.txt"
    with smtp_sink(received) as sink, server(backend, args.factor, sink.port) as (port, mailer):
        session = Session(port)
        session.login(facts["member_email"], facts["password"])
        admin = Session(port)
        admin.login(facts["admin_email"], facts["password"])
        measured = [(page, session) for page in pages(facts)] + \
            [(page, admin) for page in admin_pages(facts)] + [(FLOOR, session)]
        for (name, path, kind), who in measured:
            if args.only and not any(part in name for part in args.only.split(",")):
                continue
            count = statements(who, path)
            report = measure_page(port, who.cookie, path, args.seconds, args.clients)
            row = {"page": name, "path": path, "rps": report["rps"], "p50_ms": report["p50"],
                   "p95_ms": report["p95"], "p99_ms": report["p99"], "sql_statements": count,
                   "errors": report["errors"], "requests": report["requests"]}
            row["target"] = verdict(kind, row)
            rows.append(row)
            print(f"  {backend} {name}: {row['rps']:.0f} req/s, p95 {row['p95_ms']:.1f} ms, "
                  f"{count} SQL", flush=True)
        steady = open_loop(port, facts, backend, args.factor, args.open_rate,
                           args.open_seconds) if args.open_seconds else None
        if steady:
            print(f"  {backend} open loop: {steady['rate']:g} requests/s for "
                  f"{steady['seconds']} s, {steady['replies']} replies: p50 "
                  f"{steady['p50_ms']:.1f} ms, p95 {steady['p95_ms']:.1f} ms (replies "
                  f"{steady['reply_p95_ms']:.1f}, views {steady['read_p95_ms']:.1f}), "
                  f"5xx {steady['errors_5xx']}, lost {steady['lost_replies']}", flush=True)
        mix = write_mix(port, facts, backend, args.factor, args.mix_seconds, args.mix_clients,
                        sink, mailer, faults=not args.no_faults) if args.mix_seconds else None
    print_table(backend, rows, mix)
    result = {"date": datetime.now(UTC).isoformat(timespec="seconds"),
              "database": backend, "factor": args.factor, "machine": machine(),
              "workers": 3, "clients": args.clients, "seconds_per_page": args.seconds,
              "pages": rows, "open_loop": steady, "write_mix": mix}
    RESULTS.mkdir(parents=True, exist_ok=True)
    partial = "-partial" if args.only or not args.mix_seconds else ""
    name = f"{datetime.now(UTC):%Y-%m-%d}-{backend}-f{args.factor}{partial}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--mix-seconds", type=int, default=60)
    parser.add_argument("--mix-clients", type=int, default=16)
    parser.add_argument("--open-rate", type=float, default=30,
                        help="requests per second of the open-loop write mix")
    parser.add_argument("--open-seconds", type=int, default=30,
                        help="its length (0: none)")
    parser.add_argument("--only", default="", help="only the pages whose name contains one of "
                        "these (comma-separated; a partial run: its results file says so)")
    parser.add_argument("--no-faults", action="store_true",
                        help="a write mix without stopping the mail server and killing the "
                        "email worker (neither during the mix nor during the drain after it)")
    # the SMTP sink's own process (SmtpSink), not for people
    parser.add_argument("--smtp-sink", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--smtp-log", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.smtp_sink:
        serve_smtp_sink(args.smtp_sink, args.smtp_log)
        return 0
    for backend in args.databases.split(","):
        bench(backend.strip(), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
