"""Everything cop.dashboard plugs into the app: the dashboards' pages, their stored figures and
`flask cop refresh-figures` (which also refreshes the other features' registered figures)."""
from __future__ import annotations

from flask import Flask

from cop import figure_store
from cop.cli import cop_cli
from cop.dashboard import queries, views  # noqa: F401  (its routes attach to bp on import)
from cop.dashboard.blueprint import bp
from cop.dashboard.cli import refresh_figures


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    figure_store.register_figures(queries.FIGURES, queries.every_part)
    cop_cli.add_command(refresh_figures)
