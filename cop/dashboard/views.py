"""The dashboards: a space's (for the people who run it) and the region's (for admins), as a
page and as CSV."""
from __future__ import annotations

from flask import abort, g, render_template
from flask_login import current_user

from cop import access
from cop.dashboard import figures, metrics, queries
from cop.dashboard.blueprint import bp
from cop.dashboard.metrics import Scope
from cop.spaces.context import add_slug, load_space, require_space_access

bp.url_value_preprocessor(load_space)
bp.before_request(require_space_access)
bp.url_defaults(add_slug)


@bp.record_once
def _add_globals(state):
    state.app.jinja_env.globals["may_read_dashboard"] = access.may_read_dashboard


def _space_board():
    if not access.may_read_dashboard(current_user, g.space):
        abort(403)
    return queries.for_reader(Scope.of(g.space), current_user)


def _regional_board():
    if not access.may_read_regional_dashboard(current_user):
        abort(403)
    return queries.for_reader(Scope(), current_user)


@bp.route("/spazi/<slug>/cruscotto")
def space_dashboard(slug=None):
    return render_template("dashboard/space.html", space=g.space, board=_space_board(),
                           figures=figures)


@bp.route("/spazi/<slug>/cruscotto.csv")
def space_csv(slug=None):
    return figures.csv_response(_space_board(), f"cruscotto-{g.space.slug}.csv")


@bp.route("/cruscotto/")
def regional():
    board = _regional_board()
    return render_template("dashboard/regional.html", board=board, figures=figures,
                           falling=board.falling_spaces,
                           falling_baseline=metrics.FALLING_BASELINE_MIN)


@bp.route("/cruscotto.csv")
def regional_csv():
    return figures.csv_response(_regional_board(), "cruscotto-regionale.csv")
