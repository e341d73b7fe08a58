"""Everything cop.onboarding plugs into the app: its page (the checklist itself is shown by
cop.main.views.home) and its part of a person's data."""
from __future__ import annotations

from flask import Flask

from cop.account.services import register_collector, register_deletion
from cop.onboarding import (
    account,
    views,  # noqa: F401  (its routes attach to bp on import)
)
from cop.onboarding.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_collector("onboarding", account.export)
    register_deletion("onboarding", account.before_deletion)
