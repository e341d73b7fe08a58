"""Logs: with LOG_FORMAT "json" one JSON object per line, each line of a request carrying its
id (the incoming X-Request-ID when sane, else a new one, sent back either way), one access
line per request without the query string, and a failing view's traceback in the log, never
on the page."""
from __future__ import annotations

import io
import json
import logging
import re
from datetime import datetime

import pytest
from flask.logging import default_handler

from cop.ops import logs
from tests.conftest import Client

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def json_app(make_app):
    """make_app(**config) with LOG_FORMAT "json", its lines written to `app.log_stream`; the
    process's logging is put back afterwards."""
    cop_logger = logging.getLogger("cop")
    level, handlers = cop_logger.level, list(cop_logger.handlers)

    def build(**config):
        app = make_app(LOG_FORMAT="json", **config)
        handler = next(h for h in logging.getLogger().handlers if h.name == logs.HANDLER_NAME)
        app.log_stream = io.StringIO()
        handler.setStream(app.log_stream)
        return app

    yield build
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.name == logs.HANDLER_NAME]:
        root.removeHandler(handler)
    cop_logger.setLevel(level)
    if default_handler in handlers:
        cop_logger.addHandler(default_handler)


def _lines(app) -> list[dict]:
    return [json.loads(line) for line in app.log_stream.getvalue().splitlines()]


def _access(app) -> list[dict]:
    return [line for line in _lines(app) if line["logger"] == "cop.request"]


def test_one_json_access_line_per_request_with_the_incoming_id(json_app):
    app = json_app()
    response = app.test_client().get("/health/live?token=secret-in-the-query",
                                     headers={"X-Request-ID": "nginx-4f2a.9_Z"})
    assert response.headers["X-Request-ID"] == "nginx-4f2a.9_Z"
    [line] = _access(app)
    assert line["request_id"] == "nginx-4f2a.9_Z"
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/health/live"
    assert line["endpoint"] == "health.live"
    assert line["status"] == 200
    assert line["message"] == "GET /health/live 200"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["sql_statements"] == 0
    assert "user_id" not in line
    moment = datetime.fromisoformat(line["time"])
    assert line["time"].endswith("Z") and moment.utcoffset().total_seconds() == 0
    assert "secret-in-the-query" not in app.log_stream.getvalue()


@pytest.mark.parametrize("given", [
    "", "has space", "a" * 65, "semi;colon", "quote\"", "ünicode", "x/y"])
def test_an_odd_incoming_id_is_replaced(json_app, given):
    app = json_app()
    response = app.test_client().get("/health/live", headers={"X-Request-ID": given})
    sent = response.headers["X-Request-ID"]
    assert sent != given and GENERATED.fullmatch(sent)
    assert _access(app)[0]["request_id"] == sent


def test_each_request_gets_its_own_id(json_app):
    app = json_app()
    client = app.test_client()
    ids = [client.get("/health/live").headers["X-Request-ID"] for _ in range(2)]
    assert ids[0] != ids[1]
    assert [line["request_id"] for line in _access(app)] == ids


def test_the_text_format_also_answers_with_the_id(client):
    assert client.get("/health/live", headers={"X-Request-ID": "abc-123"}).headers[
        "X-Request-ID"] == "abc-123"
    assert GENERATED.fullmatch(client.get("/health/live").headers["X-Request-ID"])


def test_the_text_format_installs_no_json_handler(app):
    assert not [h for h in logging.getLogger().handlers if h.name == logs.HANDLER_NAME]


def test_the_signed_in_person_is_named_by_id(json_app, world):
    app = json_app()
    client = Client(app)
    client.login(world.member.email)
    app.log_stream.truncate(0)
    app.log_stream.seek(0)
    assert client.get("/").status_code == 200
    [line] = _access(app)
    assert line["user_id"] == world.member.id
    assert line["endpoint"] == "main.home"


def test_a_failing_view_shows_the_italian_page_and_logs_the_traceback(json_app):
    app = json_app(PROPAGATE_EXCEPTIONS=False)  # as in production: the 500 page, not a raise

    @app.route("/__boom")
    def boom():
        raise RuntimeError("internal detail 1234")

    response = app.test_client().get("/__boom?x=1", headers={"X-Request-ID": "req-500"})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Errore del sistema" in page and 'lang="it"' in page
    assert "Traceback" not in page and "internal detail 1234" not in page
    assert "RuntimeError" not in page
    assert response.headers["X-Request-ID"] == "req-500"
    [error] = [line for line in _lines(app) if line["level"] == "ERROR"]
    assert error["request_id"] == "req-500"
    assert error["path"] == "/__boom" and error["endpoint"] == "boom"
    assert error["exc_info"].startswith("Traceback (most recent call last):")
    assert "RuntimeError: internal detail 1234" in error["exc_info"]
    [access] = _access(app)
    assert access["status"] == 500 and access["request_id"] == "req-500"


def test_a_log_line_outside_a_request_has_no_request_fields(json_app):
    app = json_app()
    with app.app_context():
        logging.getLogger("cop.mail").warning("the mail server said %s", "no")
    [line] = _lines(app)
    assert line["message"] == "the mail server said no" and line["logger"] == "cop.mail"
    assert "request_id" not in line and "path" not in line


def test_an_unknown_log_format_is_refused(make_app):
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        make_app(LOG_FORMAT="yaml")
