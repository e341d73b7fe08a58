"""Digest emails: what happened in a person's spaces, weekly, daily or never."""
from flask import Blueprint

bp = Blueprint("digests", __name__)

from cop.digests import views  # noqa: E402,F401
