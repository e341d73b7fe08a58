"""Meeting records (issue 5): not built yet; the blueprint, access module, migration slot and
demo hook are in place for it."""
from flask import Blueprint

bp = Blueprint("meetings", __name__)

from cop.meetings import views  # noqa: E402,F401
