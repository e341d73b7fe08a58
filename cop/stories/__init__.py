"""Storie di valore: what a discussion, a practice or a meeting changed in someone's work,
told along Wenger's value-creation cycles."""
from flask import Blueprint

bp = Blueprint("stories", __name__)

from cop.stories import views  # noqa: E402,F401
