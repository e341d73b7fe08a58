"""Database plumbing shared by every feature: UTC timestamps, SQLite tuning and the
PostgreSQL dialect that keeps prepared statements."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import DateTime, bindparam, event
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.types import TypeDecorator

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC on every backend and hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous: pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE for writing requests.

    A deferred transaction that reads and then writes cannot wait for the write lock
    (SQLite answers "database is locked" at once to avoid a deadlock), so requests that
    change data take the write lock when they begin and queue on the busy timeout instead.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if has_app_context() and g.get("_cop_only_reading", False):
            connection.exec_driver_sql("BEGIN")
            return
        writing = (not has_request_context() or request.method not in READ_METHODS
                   or g.get("_cop_write_intent", False))
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


class PostgresKeepingStatements(PGDialect_psycopg):
    """psycopg 3, keeping its prepared statements across transactions that only read.

    psycopg prepares a statement the fifth time a connection runs it, so that PostgreSQL
    parses and plans it once; but it forgets them all at every ROLLBACK, and a request that
    only reads ends its transaction with one (the session closing). So every statement of
    every page was parsed and planned again. A transaction that PostgreSQL gave no
    transaction id changed nothing (not a row, not a lock on one), so COMMIT ends it exactly as
    ROLLBACK would, and keeps the statements: PostgreSQL's CPU per page about halves.
    """

    supports_statement_cache = True

    def do_rollback(self, dbapi_connection):
        from psycopg.pq import TransactionStatus

        if (dbapi_connection.pgconn.transaction_status == TransactionStatus.INTRANS
                and dbapi_connection.execute(
                    "SELECT pg_current_xact_id_if_assigned()").fetchone()[0] is None):
            dbapi_connection.commit()
        else:
            super().do_rollback(dbapi_connection)


registry.register("postgresql.cop", __name__, "PostgresKeepingStatements")
POSTGRESQL_DRIVER = "postgresql+cop"


@contextmanager
def only_reading():
    """For work outside a request that reads for a long while before it writes (the email
    worker): its transactions inside the block do not take the SQLite write lock, so that
    requests do not queue behind it. Commit (or roll back) before the block ends."""
    g._cop_only_reading = True
    try:
        yield
    finally:
        g._cop_only_reading = False


def write_after_reading() -> None:
    """A reading request (GET) that is about to write, e.g. a read marker: end the reading
    transaction so that the next one takes the SQLite write lock when it begins."""
    from cop.extensions import db

    db.session.commit()
    g._cop_write_intent = True


def render_migration_item(type_, obj, autogen_context):
    """Alembic autogenerate: write UTCDateTime as the plain DateTime it stores."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _cacheable_on_conflict(dml, target: list) -> tuple[type, type, type]:
    """A dialect's INSERT ... ON CONFLICT that SQLAlchemy may cache. Its own (2.0) says
    `inherit_cache = False` and its ON CONFLICT clauses declare no cache key, so every such
    statement was compiled again at each execution (about a millisecond each: a reply ran
    three). These name every attribute that makes the SQL, so that a cache key tells two
    statements apart exactly when their SQL differs."""
    from sqlalchemy.sql.dml import Insert as StandardInsert
    from sqlalchemy.sql.visitors import InternalTraversal as Visit

    class Insert(dml.Insert):
        _cache_key_traversal = StandardInsert._traverse_internals + [
            ("_post_values_clause", Visit.dp_clauseelement)]

    class DoNothing(dml.OnConflictDoNothing):
        _cache_key_traversal = target

    class DoUpdate(dml.OnConflictDoUpdate):
        _cache_key_traversal = target + [
            ("update_values_to_set", Visit.dp_dml_ordered_values),
            ("update_whereclause", Visit.dp_clauseelement)]

    return Insert, DoNothing, DoUpdate


def _on_conflict_kinds() -> dict[str, tuple[type, type, type]]:
    from sqlalchemy.dialects.postgresql import dml as postgresql_dml
    from sqlalchemy.dialects.sqlite import dml as sqlite_dml
    from sqlalchemy.sql.visitors import InternalTraversal as Visit

    target = [("inferred_target_elements", Visit.dp_clauseelement_list),
              ("inferred_target_whereclause", Visit.dp_clauseelement)]
    return {"sqlite": _cacheable_on_conflict(sqlite_dml, target),
            "postgresql": _cacheable_on_conflict(
                postgresql_dml, [("constraint_target", Visit.dp_string), *target])}


_ON_CONFLICT: dict[str, tuple[type, type, type]] = {}


def on_conflict(session, model, row: dict, keys: list[str], update: list[str] | None = None):
    """INSERT `row` into `model`'s table; when a row with the same `keys` exists, nothing
    (`update` None) or its columns `update` set to those of `row`. On SQLite and PostgreSQL,
    cached like any statement."""
    if not _ON_CONFLICT:
        _ON_CONFLICT.update(_on_conflict_kinds())
    insert, do_nothing, do_update = _ON_CONFLICT[session.get_bind().dialect.name]
    table = getattr(model, "__table__", model)
    statement = insert(table).values(**row)
    targets = [table.c[name] for name in keys]
    statement._post_values_clause = do_nothing(index_elements=targets) if update is None \
        else do_update(index_elements=targets,
                       set_={name: statement.excluded[name] for name in update})
    return statement


def upsert(model, keys: dict, values: dict) -> None:
    """INSERT ... ON CONFLICT (keys) DO UPDATE SET values, in the request's session."""
    _write_once(model, {**keys, **values}, list(keys), list(values))


def insert_or_skip(model, row: dict, keys: list[str]) -> None:
    """INSERT ... ON CONFLICT (keys) DO NOTHING, in the request's session."""
    _write_once(model, row, keys, None)


def _write_once(model, row: dict, keys: list[str], update: list[str] | None) -> None:
    """Plain values: a statement built once per shape with bound parameters, run with `row`
    (busy writes such as a reply's read mark and follow; building and keying the statement
    cost more than running it). A value that is SQL (a subquery): built for this call."""
    from cop.extensions import db

    if any(isinstance(value, ClauseElement) for value in row.values()):
        db.session.execute(on_conflict(db.session, model, row, keys, update))
        return
    statement = _prepared(db.session, model, tuple(row), tuple(keys),
                          None if update is None else tuple(update))
    db.session.execute(statement, row)


def _prepared(session, model, names: tuple, keys: tuple, update: tuple | None):
    dialect = session.get_bind().dialect.name
    statement = _PREPARED.get((dialect, model, names, keys, update))
    if statement is None:
        table = getattr(model, "__table__", model)
        row = {name: bindparam(name, type_=table.c[name].type) for name in names}
        statement = _PREPARED.setdefault((dialect, model, names, keys, update), on_conflict(
            session, model, row, list(keys), None if update is None else list(update)))
    return statement


_PREPARED: dict[tuple, object] = {}
