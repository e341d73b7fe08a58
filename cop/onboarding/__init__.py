"""The new member's checklist: profile, skills, an introduction, a followed thread."""
from flask import Blueprint

bp = Blueprint("onboarding", __name__)

from cop.onboarding import views  # noqa: E402,F401
