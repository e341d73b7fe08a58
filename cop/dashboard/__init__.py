"""Dashboards for coordinators, facilitators and the Region: participation levels, activity,
replies, meetings, retention and coverage, each figure with its definition; early warnings."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from cop.dashboard import views  # noqa: E402,F401
