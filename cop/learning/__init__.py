"""Formazione: learning resources grouped into paths, progress, and the regional page."""
from flask import Blueprint

bp = Blueprint("learning", __name__)

from cop.learning import views  # noqa: E402,F401
