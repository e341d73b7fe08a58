"""The blueprint of cop.ops (`/metrics`): its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("ops", "cop.ops")
