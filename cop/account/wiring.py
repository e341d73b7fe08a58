"""Everything cop.account plugs into the app: the person's own account pages, and the core of
their data export (the account, spaces, posts, notifications, sign-ins). It owns the registry
of a person's data: other features add their collector and deletion hook there."""
from __future__ import annotations

from flask import Flask

from cop.account import (
    services,
    views,  # noqa: F401  (its routes attach to bp on import)
)
from cop.account.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    services.register_collector("account", services.collect)
