"""Meeting records: planning, invitations, attendance, minutes, decisions, actions, calendar."""
from flask import Blueprint

bp = Blueprint("meetings", __name__)

from cop.meetings import views  # noqa: E402,F401
