"""The blueprint of cop.health: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("health", "cop.health", url_prefix="/health")
