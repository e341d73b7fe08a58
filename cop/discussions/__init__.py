"""Threaded discussions in every space."""
from flask import Blueprint

bp = Blueprint("discussions", __name__)

from cop.discussions import panel, views  # noqa: E402,F401
