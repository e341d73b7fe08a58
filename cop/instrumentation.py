"""Optional: the number of SQL statements a request ran, in an `X-SQL-Statements` header.

Off by default; the benchmark (bench/run.py) turns it on with COP_SQL_COUNT_HEADER=true to
report statements per request from the real server, not from a test client.
"""
from __future__ import annotations

from flask import Flask, g, has_request_context
from sqlalchemy import event

from cop.extensions import db

HEADER = "X-SQL-Statements"


def init_app(app: Flask) -> None:
    if not app.config.get("SQL_COUNT_HEADER"):
        return

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        if has_request_context():
            g._cop_sql_statements = g.get("_cop_sql_statements", 0) + 1

    @app.after_request
    def _header(response):
        response.headers[HEADER] = str(g.get("_cop_sql_statements", 0))
        return response
