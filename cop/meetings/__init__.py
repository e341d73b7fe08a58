"""Meeting records: planning, invitations and answers, the register, minutes with decisions
and actions and their review, feedback, materials, calendars and .ics feeds."""
from flask import Blueprint

bp = Blueprint("meetings", __name__)

from cop.meetings import views  # noqa: E402,F401
from cop.meetings import calendar_views  # noqa: E402,F401
