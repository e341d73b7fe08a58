"""The schema comes from migrations, and SQLite holds up under concurrent writers."""
from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text

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
