"""Logs. LOG_FORMAT "text" (the default, for `make run`) leaves Python's logging as it is;
"json" (production, COP_LOG_FORMAT=json) writes every record, the app's and its libraries',
as one JSON object per line on stderr:

    {"time": "2026-12-07T18:40:01.123Z", "level": "INFO", "logger": "cop.request",
     "message": "GET /spazi/ 200", "request_id": "…", "method": "GET", "path": "/spazi/",
     "endpoint": "spaces.index", "user_id": 12, "status": 200, "duration_ms": 41.7,
     "sql_statements": 9}

Inside a request every line carries request_id, method, path (never the query string: it may
hold a token), endpoint and, once the person was loaded, user_id; each request ends with one
access line (logger "cop.request"). An exception's traceback is the `exc_info` field, never
part of a page (cop.security's error pages show none).
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

from cop.ops import tracking

HANDLER_NAME = "cop-json"
FORMATS = ("text", "json")
access_log = logging.getLogger("cop.request")

# The attributes every LogRecord has: the others were given through `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message",
                                                                               "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            entry.update(request_id=tracking.request_id(), method=request.method,
                         path=request.path, endpoint=request.endpoint)
            user = g.get("_login_user")  # only once loaded: logging runs no query
            if user is not None and user.is_authenticated:
                entry["user_id"] = user.id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def init_app(app: Flask) -> None:
    log_format = str(app.config.get("LOG_FORMAT") or "text").lower()
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {FORMATS}, not {log_format!r}")
    if log_format == "text":
        return
    install(app.config.get("LOG_LEVEL") or "INFO")
    app.logger.removeHandler(default_handler)  # Flask's own, added if the logger was used

    @app.after_request
    def _access_line(response):
        seconds = tracking.elapsed_seconds()
        access_log.info("%s %s %s", request.method, request.path, response.status_code,
                        extra={"status": response.status_code,
                               "duration_ms": None if seconds is None else round(seconds * 1000,
                                                                                   1),
                               "sql_statements": tracking.statements()})
        return response


def install(level: str = "INFO") -> logging.Handler:
    """One JSON handler on the root logger, to stderr (once however many apps the process
    builds); cop's loggers at `level`, the libraries' at the root's (WARNING)."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if h.name == HANDLER_NAME), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler.name = HANDLER_NAME
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    logging.getLogger("cop").setLevel(level.upper())
    return handler
