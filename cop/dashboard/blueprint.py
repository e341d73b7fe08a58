"""The blueprint of cop.dashboard: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("dashboard", "cop.dashboard")
