"""The good-practice library: practice records, workflow, versions, facets, adoption, showcase."""
from flask import Blueprint

bp = Blueprint("practices", __name__)

from cop.practices import views  # noqa: E402,F401
