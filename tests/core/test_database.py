"""The schema comes from migrations, and SQLite holds up under concurrent writers."""
from __future__ import annotations

import os
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text
from werkzeug.serving import make_server

from cop import create_app
from cop.extensions import db
from cop.search.ddl import include_object
from cop.spaces.models import JoinRequest, Space
from tests.conftest import Client, _test_config


@pytest.fixture
def empty_database_url(tmp_path):
    """An empty database of the kind under test (SQLite file, or a new PostgreSQL database)."""
    url = os.environ.get("COP_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path}/migrations.db"
        return
    name = f"cop_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_build_exactly_the_models(empty_database_url, smtp_server):
    app = create_app(_test_config(empty_database_url, smtp_server))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": include_object})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations disagree: write a migration for {diff}"


def test_sqlite_connections_are_tuned(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite pragmas")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_concurrent_writes_are_not_lost(app, factory, world):
    """Twelve people ask to join the same space at the same moment, through a real threaded
    server: every request succeeds and the stored counter matches the rows."""
    people = [factory.user(name=f"Persona Concorrente {i}") for i in range(12)]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    clients = []
    for person in people:
        client = Client(app)
        client.login(person.email)
        clients.append(client)
    errors, barrier = [], threading.Barrier(len(clients))

    def join(client: Client):
        token = client.csrf_token()
        cookie = client.http.get_cookie("session").value
        data = urllib.parse.urlencode({"csrf_token": token, "message": "Ciao"}).encode()
        request = urllib.request.Request(f"{base}/spazi/{world.regional.slug}/partecipa", data=data,
                                         headers={"Cookie": f"session={cookie}"})
        barrier.wait()
        try:
            status = urllib.request.build_opener(_NoRedirect).open(request, timeout=30).status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 302:
            errors.append(status)

    threads = [threading.Thread(target=join, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.shutdown()
    assert errors == []
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(JoinRequest).where(
            JoinRequest.space_id == world.regional.id))
        counter = db.session.get(Space, world.regional.id).pending_request_count
    assert rows == counter == len(people)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp
