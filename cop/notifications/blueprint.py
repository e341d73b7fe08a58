"""The blueprint of cop.notifications: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("notifications", "cop.notifications", url_prefix="/notifiche")
