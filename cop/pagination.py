from flask import current_app, request

from cop.extensions import db


def paginate(query, per_page: int | None = None):
    """One page of `query` from ?pagina=N (anything not a positive number means page 1)."""
    page = min(request.args.get("pagina", 1, type=int), 100_000)  # an offset the database takes
    return db.paginate(query, page=max(page, 1), per_page=per_page or current_app.config["PAGE_SIZE"],
                       error_out=False, count=True)
