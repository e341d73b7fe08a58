"""Fixtures shared by every test.

- The schema and the reference data are built once per session (per pytest-xdist worker), on
  SQLite in a temporary file or on PostgreSQL when COP_TEST_DATABASE_URL is set.
- `app`: a fresh application whose database work runs in one transaction rolled back at the end
  of the test (sessions join it with SAVEPOINTs, so the code commits as usual); CSRF stays on,
  as in production. Marks: `commits` (a server in a thread, several connections: real commits,
  tables emptied afterwards) and `demo` (the database seeded once with the demo, read at the
  moment it was seeded).
- `clock`: `clock.travel(moment)` for tests that depend on the day or the hour.
- `smtp`: a real SMTP server on loopback (aiosmtpd) that the app sends to; `smtp.messages`.
- `client`: a test client that knows how to sign in and post forms with their CSRF token.
- `world`: one person for each role around a reserved Alleanza space (tests/factories.py).
- `count_queries`: counts the SQL statements a block runs (not the test's savepoints).
"""
from __future__ import annotations

import os
import re
import socket
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime
from email import message_from_bytes, policy
from types import SimpleNamespace

import pytest
import time_machine
from aiosmtpd.controller import Controller
from flask import Flask
from flask_migrate import stamp
from sqlalchemy import create_engine, event, text

from cop import create_app
from cop.extensions import db
from cop.reference.services import load_reference

TEST_PASSWORD = "Prova-password-sicura-1"
_UPLOADS = tempfile.TemporaryDirectory(prefix="cop-uploads-")  # never the real instance/uploads
_SAVEPOINT = re.compile(r"(RELEASE |ROLLBACK TO )?SAVEPOINT ", re.IGNORECASE)
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages = []
        self.refused = set()  # addresses this server answers 550, as a real one would
        self.deferred = set()  # and 450 (greylisting: try again later)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        if address in self.deferred:
            return "450 4.2.0 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(SimpleNamespace(
            to=envelope.rcpt_tos, subject=str(message["Subject"]), message=message,
            body=message.get_body(("plain",)).get_content()))
        return "250 Message accepted"

    def to(self, address: str):
        return [m for m in self.messages if address in m.to]

    def links(self, message) -> list[str]:
        return re.findall(r"https?://\S+", message.body)


def pytest_collection_modifyitems(config, items):
    for item in items:  # one worker seeds the demo database and runs every demo test
        if item.get_closest_marker("demo"):
            item.add_marker(pytest.mark.xdist_group("demo"))


@pytest.fixture(scope="session")
def smtp_server():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield SimpleNamespace(inbox=inbox, host=controller.hostname, port=controller.port)
    controller.stop()


@pytest.fixture
def smtp(smtp_server):
    smtp_server.inbox.messages.clear()
    smtp_server.inbox.refused.clear()
    smtp_server.inbox.deferred.clear()
    return smtp_server.inbox


@pytest.fixture(scope="session")
def database_url(_worker_database):
    return _worker_database("test")


@pytest.fixture(scope="session")
def _worker_database(tmp_path_factory, worker_id):
    """_worker_database(name): the URL of a database of the kind under test, empty at first:
    a SQLite file of this session, or a PostgreSQL database beside COP_TEST_DATABASE_URL's
    (that one itself for "test" when the suite runs in one process; with pytest-xdist each
    worker has its own), dropped at the end."""
    base = os.environ.get("COP_TEST_DATABASE_URL")
    created = []

    def url_for(name: str) -> str:
        if not base:
            return f"sqlite:///{tmp_path_factory.getbasetemp()}/{name}.db"
        if name == "test" and worker_id == "master":
            return base
        suffix = name if worker_id == "master" else f"{name}_{worker_id}"
        database = f"{base.rsplit('/', 1)[1]}_{suffix}"
        with _postgres_admin(base) as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{database}"'))
        created.append(database)
        return base.rsplit("/", 1)[0] + "/" + database

    yield url_for
    for database in created:
        with _postgres_admin(base) as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


@contextmanager
def _postgres_admin(url: str):
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1),
                           isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def _build_schema(database_url, smtp_server, fill=None) -> Flask:
    """The tables and the reference data, committed once: every test starts from them."""
    app = create_app(_test_config(database_url, smtp_server))
    with app.app_context():
        db.drop_all()
        db.create_all()
        stamp()  # the schema is the migrations' head (test_database.py proves they agree)
        load_reference()
        if fill:
            fill()
        db.session.commit()
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def _schema(database_url, smtp_server):
    db.session.session_factory.configure(join_transaction_mode="create_savepoint")
    return _build_schema(database_url, smtp_server)


DEMO_DAY = datetime(2026, 3, 11, 9, 30, tzinfo=UTC)  # a Wednesday morning in Milan


@pytest.fixture(scope="session")
def _demo_schema(_worker_database, smtp_server):
    """A second database with the demo seeded once, on DEMO_DAY, for the tests marked `demo`:
    each reads it inside its own rolled-back transaction, like the others, at the moment the
    seeding ended (so what the demo calls "today" or "next week" is the same on every run)."""
    from cop.demo.services import seed_demo

    sent = len(smtp_server.inbox.messages)
    with time_machine.travel(DEMO_DAY, tick=True):
        app = _build_schema(_worker_database("demo"), smtp_server, fill=seed_demo)
        app.config["TEST_DEMO_SEEDED_AT"] = datetime.now(UTC)
    assert len(smtp_server.inbox.messages) == sent, "seeding the demo sends no email"
    return app


def _test_config(database_url, smtp_server, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast in tests; production is scrypt
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SERVER": smtp_server.host,
        "MAIL_PORT": smtp_server.port,
        "SERVER_URL": "http://localhost",
        "UPLOAD_FOLDER": _UPLOADS.name,
        "MAIL_ASYNC": False,  # delivered before the request returns: tests read the inbox next
    }
    config.update(overrides)
    return config


def _empty_database(keep_reference: bool = True):
    """After a test that committed for real: every table emptied, the reference data back."""
    tables = [t.name for t in db.metadata.sorted_tables]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                                + " RESTART IDENTITY CASCADE"))
        db.session.commit()
    else:
        db.session.remove()
        raw = db.engine.raw_connection()  # autocommit: the pragma has no effect in a transaction
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f'DELETE FROM "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            raw.close()
    if keep_reference:
        load_reference()
        db.session.commit()


class _TestTransaction:
    """One connection and one transaction for the whole test, rolled back at its end.

    Every app the test builds talks to the database through that connection, and every
    session joins it with a SAVEPOINT (`join_transaction_mode="create_savepoint"`), so the
    code under test commits and rolls back as it always does, and nothing outlives the test.
    """

    def __init__(self, engine):
        self.engine = engine
        self.connection = engine.connect()
        self.transaction = self.connection.begin()

    def join(self, app: Flask) -> None:
        with app.app_context():
            db.engines[None] = self.connection

    def end(self) -> None:
        db.session.remove()
        self.transaction.rollback()
        self.connection.close()


@pytest.fixture
def make_app(request, database_url, smtp_server, _schema):
    """Builds the app with extra config. By default the test runs inside one transaction
    rolled back at its end; a test marked `commits` (a real server in a thread, several
    connections) writes for real and its tables are emptied afterwards. A test marked `demo`
    runs on the database with the demo content."""
    committing = request.node.get_closest_marker("commits") is not None
    demo = request.node.get_closest_marker("demo") is not None
    url, base = database_url, _schema
    if demo:
        base = request.getfixturevalue("_demo_schema")
        url = base.config["SQLALCHEMY_DATABASE_URI"]
        assert not committing, "the demo database is shared: a demo test must not commit"
        request.getfixturevalue("clock").travel(base.config["TEST_DEMO_SEEDED_AT"])
    with base.app_context():
        transaction = None if committing else _TestTransaction(db.engine)
    apps = []

    def build(**overrides):
        app = create_app(_test_config(url, smtp_server, **overrides))
        if transaction:
            transaction.join(app)
        apps.append(app)
        return app

    yield build
    with (apps[0] if apps else base).app_context():
        if transaction:
            transaction.end()
        else:
            _empty_database()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def clock():
    """clock.travel(moment): the test's "now" from that moment on (the clock keeps ticking).
    For tests whose expectations depend on the day or the hour."""
    travels = []

    class Clock:
        @staticmethod
        def travel(moment: datetime, tick: bool = True):
            travel = time_machine.travel(moment, tick=tick)
            travel.start()
            travels.append(travel)

    yield Clock()
    for travel in reversed(travels):
        travel.stop()


@pytest.fixture
def app(make_app):
    return make_app()


class Client:
    """A browser-like test client: follows the CSRF token like a page would."""

    def __init__(self, app):
        self.app = app
        self.http = app.test_client()

    def get(self, url, **kwargs):
        return self.http.get(url, **kwargs)

    def csrf_token(self) -> str:
        page = self.http.get("/").get_data(as_text=True)
        match = _CSRF_META.search(page)
        assert match, "every page carries the CSRF token in a meta tag"
        return match.group(1)

    def post(self, url, data=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf_token())
        return self.http.post(url, data=data, **kwargs)

    def login(self, email, password=TEST_PASSWORD):
        response = self.post("/accedi", {"email": email, "password": password})
        assert response.status_code == 302, f"sign-in as {email} failed"
        return response

    def logout(self):
        return self.post("/esci")


@pytest.fixture
def client(app):
    return Client(app)


@pytest.fixture
def new_client(app):
    """Another browser for the same app."""
    return lambda: Client(app)


@pytest.fixture
def factory(app):
    from tests.factories import Factory

    return Factory(app)


@pytest.fixture
def world(factory):
    """Reference data and a person in each role around the reserved space of Alleanza Bergamo 1."""
    return factory.world()


@contextmanager
def recorded(app, keep):
    """`keep(statement, parameters, context)`'s answers for the statements the code runs
    meanwhile (not the test's savepoints), those it answers None for left out."""
    found = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not _SAVEPOINT.match(statement) and (kept := keep(statement, parameters,
                                                            context)) is not None:
            found.append(kept)

    with app.app_context():
        engine = db.engine  # or the test's connection, which every app of the test uses
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def count_queries(app):
    return lambda: recorded(app, lambda statement, parameters, context: statement)
