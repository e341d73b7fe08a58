"""Fixtures shared by every test.

- `app`: a fresh application and an empty database per test (SQLite in a temporary file, or
  PostgreSQL when COP_TEST_DATABASE_URL is set); CSRF stays on, as in production.
- `smtp`: a real SMTP server on loopback (aiosmtpd) that the app sends to; `smtp.messages`.
- `client`: a test client that knows how to sign in and post forms with their CSRF token.
- `world`: reference data plus one person for each role around a reserved Alleanza space.
- `count_queries`: counts the SQL statements a block runs.
"""
from __future__ import annotations

import os
import re
import socket
import tempfile
from contextlib import contextmanager
from email import message_from_bytes, policy
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import event, text

from cop import create_app
from cop.extensions import db

TEST_PASSWORD = "Prova-password-sicura-1"
_UPLOADS = tempfile.TemporaryDirectory(prefix="cop-uploads-")  # never the real instance/uploads
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
def database_url():
    url = os.environ.get("COP_TEST_DATABASE_URL")
    if url:
        yield url
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/test.db"


@pytest.fixture(scope="session")
def _schema(database_url, smtp_server):
    app = create_app(_test_config(database_url, smtp_server))
    with app.app_context():
        db.drop_all()
        db.create_all()
    return True


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
        "DASHBOARD_CACHE_SECONDS": 0,  # tests change data and look again at once
        "SKILLS_MAP_CACHE_SECONDS": 0,
    }
    config.update(overrides)
    return config


def _empty_database():
    tables = [t.name for t in db.metadata.sorted_tables]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                                + " RESTART IDENTITY CASCADE"))
        db.session.commit()
        return
    db.session.remove()
    raw = db.engine.raw_connection()  # autocommit: the pragma has no effect inside a transaction
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA foreign_keys = OFF")
        for table in tables:
            cursor.execute(f'DELETE FROM "{table}"')
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        raw.close()


@pytest.fixture
def make_app(database_url, smtp_server, _schema):
    """Builds the app with extra config; the database is emptied after the test."""
    apps = []

    def build(**overrides):
        app = create_app(_test_config(database_url, smtp_server, **overrides))
        apps.append(app)
        return app

    yield build
    if apps:
        with apps[0].app_context():
            _empty_database()
            db.session.remove()
            db.engine.dispose()


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


@pytest.fixture
def count_queries(app):
    @contextmanager
    def counter():
        statements = []

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counter
