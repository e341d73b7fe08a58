"""Site search: one full-text index of what people write, on SQLite (FTS5) and PostgreSQL
(tsvector, `italian`), behind one interface (services to write, queries.search to read)."""
from flask import Blueprint

bp = Blueprint("search", __name__)

from cop.search import receivers, views  # noqa: E402,F401
