from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request

from cop.extensions import db
from cop.urls import page_number

MAX_PAGE = 100_000  # an offset the database takes


def _requested_page() -> int:
    return max(1, min(request.args.get("pagina", 1, type=page_number), MAX_PAGE))


def paginate(query, per_page: int | None = None, total: int | None = None):
    """One page of `query` from ?pagina=N (anything not a positive number means page 1).
    Pass `total` when a stored counter knows it: no COUNT query then."""
    page = db.paginate(query, page=_requested_page(),
                       per_page=per_page or current_app.config["PAGE_SIZE"],
                       error_out=False, count=total is None)
    if total is not None:
        page.total = total
    return page


@dataclass
class Window:
    """A page of a long list without counting the whole list: «next» exists if one more row
    does. For lists that grow with the region (latest discussions, a space's threads)."""

    items: list
    page: int
    has_next: bool
    pages = None
    total = None

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def window_by_ids(id_query, load, per_page: int | None = None) -> Window:
    """A Window in two steps: the page's ids from `id_query` (a narrow select the database can
    answer from its indexes), then `load(ids)` the rows with everything the page shows, in the
    same order. Joins then touch one page of rows, not every row that matches."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    page = _requested_page()
    ids = db.session.scalars(id_query.limit(per_page + 1).offset((page - 1) * per_page)).all()
    rows = {row.id: row for row in load(ids[:per_page])}
    return Window(items=[rows[i] for i in ids[:per_page] if i in rows], page=page,
                  has_next=len(ids) > per_page)


class PageNumbers:
    """What templates/_macros/ui.html `pagination` reads, for a page that knows `page`, `total`
    and `per_page`."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


@dataclass
class Counted(PageNumbers):
    """A page of a list whose total is known (a facet query counted it): page numbers shown."""

    items: list
    page: int
    per_page: int
    total: int


def counted_page(id_query, load, total: int, per_page: int | None = None) -> Counted:
    """The requested page of `id_query` (ids, in order), loaded with `load(ids)`."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    pages = max(1, -(-total // per_page))
    page = min(_requested_page(), pages)
    ids = db.session.scalars(id_query.limit(per_page).offset((page - 1) * per_page)).all() \
        if total else []
    return Counted(items=load(list(ids)), page=page, per_page=per_page, total=total)


def prepared_page(statement, total: int, parameters: dict,
                  per_page: int | None = None) -> Counted:
    """The requested page of a statement built once per process (`access.for_anyone`), run with
    `parameters` plus `page_limit` and `page_offset`, out of `total` rows. Building and keying
    a statement full of access clauses costs more than running it: a page that added .limit()
    to it would make a new one at each request."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    page = min(_requested_page(), max(1, -(-total // per_page)))
    items = db.session.scalars(statement, {**parameters, "page_limit": per_page,
                                           "page_offset": (page - 1) * per_page}).all() \
        if total else []
    return Counted(items=list(items), page=page, per_page=per_page, total=total)
