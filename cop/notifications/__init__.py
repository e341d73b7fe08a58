"""Notifications: follow and mute, the bell, the list, emails by each person's choice."""
from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifiche")

from cop.notifications import receivers, views  # noqa: E402,F401
