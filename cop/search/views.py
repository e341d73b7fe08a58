"""The search page: GET /cerca, for everybody signed in; results only from visible spaces."""
from __future__ import annotations

from typing import Callable

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop.extensions import db
from cop.search import bp, queries
from cop.search.forms import SearchForm
from cop.spaces import queries as space_queries
from cop.urls import page_number

_LINKS: dict[str, Callable[[queries.Hit], str]] = {
    "thread": lambda hit: url_for("discussions.thread", slug=hit.space_slug,
                                  thread_id=hit.thread_id),
    "post": lambda hit: url_for("discussions.goto_post", post_id=hit.doc_id),
}


def register_link(doc_type: str, build: Callable[[queries.Hit], str]) -> None:
    """How a result of another feature links to its page (e.g. "practice")."""
    _LINKS[doc_type] = build


def hit_url(hit: queries.Hit) -> str | None:
    build = _LINKS.get(hit.doc_type)
    return build(hit) if build else None


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
