"""The blueprint of cop.practices: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("practices", "cop.practices")

# The public showcase, without signing in (cop/practices/showcase.py).
showcase_bp = Blueprint("showcase", "cop.practices")
