"""Everything cop.digests plugs into the app: its pages, its part of a person's data, and
`flask cop send-digests`."""
from __future__ import annotations

from flask import Flask

from cop.account.services import register_collector, register_deletion
from cop.cli import cop_cli
from cop.digests import (
    services,
    views,  # noqa: F401  (its routes attach to bp on import)
)
from cop.digests.blueprint import bp
from cop.digests.cli import send_digests


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_collector("digests", services.export)
    register_deletion("digests", services.before_deletion)
    cop_cli.add_command(send_digests)
