"""The schema comes from migrations, and SQLite holds up under concurrent writers."""
from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import DBAPIError

from cop import create_app
from cop.extensions import db
from cop.search.ddl import include_object
from cop.spaces.models import JoinRequest, Space
from tests.concurrency import post_at_once
from tests.conftest import _test_config


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


@pytest.mark.commits
def test_sqlite_connections_are_tuned(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite pragmas")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


@pytest.mark.commits
def test_concurrent_writes_are_not_lost(app, factory, world):
    """Twelve people ask to join the same space at the same moment, through a real threaded
    server: every request succeeds and the stored counter matches the rows."""
    people = [factory.user(name=f"Persona Concorrente {i}") for i in range(12)]
    statuses = post_at_once(app, people, f"/spazi/{world.regional.slug}/partecipa",
                            lambda i: {"message": "Ciao"})
    assert statuses == [302] * len(people)
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(JoinRequest).where(
            JoinRequest.space_id == world.regional.id))
        counter = db.session.get(Space, world.regional.id).pending_request_count
    assert rows == counter == len(people)


def test_setup_gives_sqlite_its_planner_statistics(app, factory):
    """`flask cop setup` (every `make run`) runs ANALYZE on SQLite, which keeps none by itself."""
    from cop.cli import setup

    factory.user(name="Qualcuno")  # not an empty database: no demo content
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL's autovacuum keeps its statistics")
        stat_table = "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
        assert db.session.scalar(text(stat_table)) == 0
        db.session.rollback()
    result = app.test_cli_runner().invoke(setup)
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(text(stat_table)) == 1
        assert db.session.scalar(text(
            "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'users'")) >= 1


def _prepared_statements(conn) -> int:
    return conn.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar()


@pytest.mark.commits
def test_postgresql_keeps_its_prepared_statements_after_a_reading_transaction(app, world):
    """psycopg prepares a statement run five times, and forgets them all at a ROLLBACK; a
    request that only read ends with one. Our dialect ends it with COMMIT instead."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's prepared statements")
        count_spaces = select(func.count()).select_from(Space)
        with db.engine.connect() as conn:
            counts = {conn.execute(count_spaces).scalar() for _ in range(6)}
            conn.rollback()  # what the session does when a GET request ends
            assert _prepared_statements(conn) >= 1
            assert {conn.execute(count_spaces).scalar()} == counts


def test_rolling_back_undoes_a_write_after_reads(app, world):
    """The other side of the above, on both databases: a transaction that wrote is really
    rolled back, and so is one whose statement failed."""
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(JoinRequest))
        db.session.add(JoinRequest(space_id=world.regional.id, user_id=world.outsider.id,
                                   message="Mai salvata"))
        db.session.flush()
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(JoinRequest)) == before

        db.session.add(JoinRequest(space_id=world.regional.id, user_id=world.outsider.id,
                                   message="Mai salvata"))
        db.session.flush()
        with pytest.raises(DBAPIError):
            db.session.execute(text("SELECT * FROM no_such_table"))
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(JoinRequest)) == before
