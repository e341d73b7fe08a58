"""What each request carries for the logs and the metrics: its id, when it began, how many SQL
statements it ran.

The id is the incoming X-Request-ID when it is sane (at most 64 characters of letters, digits,
`.`, `_` and `-`: nginx's $request_id, a load balancer's), so that their logs and ours meet;
otherwise a new one. It is kept on `g.request_id` and sent back in the response's X-Request-ID.
"""
from __future__ import annotations

import re
import time
import uuid

from flask import Flask, g, has_request_context, request, request_started
from sqlalchemy import event

from cop.extensions import db

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id() -> str:
    """The current request's id (made on first use, so that even a request stopped before
    its first hook has one)."""
    if "request_id" not in g:
        given = request.headers.get(HEADER, "")
        g.request_id = given if _SANE.fullmatch(given) else uuid.uuid4().hex
    return g.request_id


def elapsed_seconds() -> float | None:
    started = g.get("_cop_request_started")
    return None if started is None else time.perf_counter() - started


def statements() -> int:
    return g.get("_cop_request_statements", 0)


def init_app(app: Flask, *, count_statements: bool) -> None:
    # request_started comes before the URL's preprocessors and the before_request hooks,
    # any of which may end the request (cop.security refuses a NUL there).
    request_started.connect(_begin, app)
    if count_statements:
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", _count)

    @app.after_request
    def _send_id(response):
        response.headers[HEADER] = request_id()
        return response


def _begin(sender, **extra) -> None:
    g._cop_request_started = time.perf_counter()
    request_id()


def _count(conn, cursor, statement, parameters, context, executemany) -> None:
    if has_request_context():
        g._cop_request_statements = g.get("_cop_request_statements", 0) + 1
