"""One request, one transaction: run a service, then commit and say so, or roll back and say why.

Every page that writes ends the same way, with `commit_or_explain`: no view commits, rolls back
or catches ServiceError by itself."""
from __future__ import annotations

from collections.abc import Callable

from flask import flash

from cop.errors import ServiceError
from cop.extensions import db


class Done:
    """A service call that was committed: always true; `value` is what the service returned
    (the thread written, the record created ...)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __bool__(self) -> bool:
        return True


def commit_or_explain(action: Callable[[], object],
                      success: str | Callable[[object], str] | None = None,
                      category: str = "success", refusal_category: str = "danger", *,
                      field=None) -> Done | None:
    """Runs `action` (a service call). On success commits, flashes `success` (when given; a
    function is called after the commit with what `action` returned, for a message that tells
    the result) and returns a `Done` holding that value. When the service refuses (ServiceError),
    rolls back and explains: its reason goes under the form `field` (when given: the form is
    shown again with what was typed) or else is flashed; returns None."""
    try:
        value = action()
    except ServiceError as error:
        db.session.rollback()
        if field is not None:
            field.errors = [*field.errors, error.message]
        else:
            flash(error.message, refusal_category)
        return None
    db.session.commit()
    if callable(success):
        success = success(value)
    if success:
        flash(success, category)
    return Done(value)
