"""Recording the runs of the scheduled commands in `job_runs`.

`record_success` and `record_failure` write in a session of their own, on their own
connection, and commit it at once: the caller's session is neither committed nor rolled back
(a job that failed may leave it in any state), and the record stays whatever the caller does
next. On SQLite the second connection waits for the write lock, so call them once your own
transaction is over (`scheduled` ends it). A record that cannot be written is logged, never
raised: a job that did its work does not fail because its bookkeeping did.
"""
from __future__ import annotations

import functools
import logging
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from cop.database import on_conflict, utcnow
from cop.extensions import db
from cop.ops.models import EMAIL_WORKER, JobRun

log = logging.getLogger(__name__)
__all__ = ["EMAIL_WORKER", "record", "record_failure", "record_success", "scheduled"]

ERROR_LENGTH = 2000


def record_success(name: str, at: datetime | None = None) -> None:
    at = at or utcnow()
    _write(name, {"last_success_at": at, "updated_at": at})


def record_failure(name: str, error: str, at: datetime | None = None) -> None:
    at = at or utcnow()
    _write(name, {"last_failure_at": at, "last_error": (error or "?")[:ERROR_LENGTH],
                  "updated_at": at})


def record(name: str, error: str | None = None) -> None:
    """A success without `error`, else a failure."""
    if error is None:
        record_success(name)
    else:
        record_failure(name, error)


def _write(name: str, values: dict) -> None:
    # db.engine: the app's engine, or in the tests the test's connection (the session then
    # works in a SAVEPOINT of it, as the request's session does).
    try:
        with Session(db.engine, join_transaction_mode="create_savepoint") as session:
            session.execute(on_conflict(session, JobRun, {"name": name, **values}, ["name"],
                                        list(values)))
            session.commit()
    except SQLAlchemyError:
        log.exception("Could not record the run of %s", name)


def scheduled(name: str, *, unless: str | None = None):
    """Decorates a `flask cop` command run by cron or a timer: its success or failure (an
    exception, a ClickException included) is recorded under `name`. With `unless`, a run
    whose keyword argument of that name is true is not recorded (`--watch`: the worker
    records each pass itself).

    The command's session is ended first (rolled back, as the app context's end would): what
    it committed stays, and on SQLite its open transaction would hold the write lock."""
    def decorate(command):
        @functools.wraps(command)
        def run(*args, **kwargs):
            if unless and kwargs.get(unless):
                return command(*args, **kwargs)
            try:
                result = command(*args, **kwargs)
            except BaseException as error:  # Ctrl+C and SIGTERM's exit count too
                _end_session()
                if _finished(error):
                    record_success(name)
                else:
                    record_failure(name, _describe(error))
                raise
            _end_session()
            record_success(name)
            return result
        return run
    return decorate


def _end_session() -> None:
    try:
        db.session.rollback()
    except SQLAlchemyError:  # the connection is gone: the record will say so, or log it
        log.exception("Could not end the command's session")


def _finished(error: BaseException) -> bool:
    """An exit that reports success: sys.exit(0), click's ctx.exit(0)."""
    if isinstance(error, SystemExit):
        return error.code in (0, None)
    return getattr(error, "exit_code", None) == 0


def _describe(error: BaseException) -> str:
    message = getattr(error, "message", None) or str(error)  # click.ClickException: .message
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
