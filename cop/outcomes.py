"""One request, one transaction: run a service, then commit and say so, or roll back and say why."""
from __future__ import annotations

from typing import Callable

from flask import flash

from cop.errors import ServiceError
from cop.extensions import db


def commit_or_explain(action: Callable[[], object], success: str | None = None,
                      category: str = "success", refusal_category: str = "danger") -> bool:
    """Runs `action` (a service call). On success commits and flashes `success`; when the
    service refuses (ServiceError), rolls back and flashes its reason. Returns whether it worked."""
    try:
        action()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, refusal_category)
        return False
    db.session.commit()
    if success:
        flash(success, category)
    return True
