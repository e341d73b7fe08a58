"""The public showcase (*vetrina*): published records whose authors chose to open them to
everybody, readable without signing in. Only the record's text, results and organisations:
no attachments, discussions, contact addresses or review notes."""
from __future__ import annotations

from flask import abort, render_template, request
from sqlalchemy import select

from cop.extensions import db
from cop.pagination import window_by_ids
from cop.practices import queries
from cop.practices.blueprint import showcase_bp as bp
from cop.reference.models import InterventionArea


@bp.route("/vetrina/")
def index():
    areas = db.session.scalars(select(InterventionArea).order_by(InterventionArea.position)).all()
    area = request.args.get("area", "")
    area = area if any(a.code == area for a in areas) else ""
    page = window_by_ids(queries.showcase_ids(area or None), queries.load_cards)
    return render_template("practices/showcase_index.html", page=page, areas=areas, area=area)


@bp.route("/vetrina/<int:practice_id>")
def show(practice_id):
    practice = queries.showcase_practice(practice_id)
    if practice is None:
        abort(404)
    return render_template("practices/showcase_show.html", practice=practice)
