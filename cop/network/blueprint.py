"""The blueprint of cop.network: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("network", "cop.network")
