"""The search page: GET /cerca, for everybody signed in; results only from visible spaces."""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop.extensions import db
from cop.search import queries
from cop.search.blueprint import bp
from cop.search.forms import SearchForm
from cop.search.links import hit_url
from cop.spaces import queries as space_queries
from cop.urls import page_number


@bp.route("/cerca")
@login_required
def results():
    form = SearchForm(formdata=request.args)
    spaces = db.session.scalars(space_queries.visible_spaces(current_user)).all()
    form.spazio.choices = [("", _("Tutti gli spazi"))] + [(str(s.id), s.name) for s in spaces]
    page = None
    asked = form.has_question()
    if asked and form.validate():
        page = queries.search(
            current_user, form.q.data or "", space_id=int(form.spazio.data or 0) or None,
            kind=form.tipo.data, tag=form.etichetta.data, author=form.autore.data,
            date_from=form.dal.data, date_to=form.al.data,
            page=request.args.get("pagina", 1, type=page_number),
            per_page=current_app.config["SEARCH_PAGE_SIZE"], group_threads=True)
    return render_template("search/results.html", form=form, page=page, asked=asked,
                           hit_url=hit_url)
