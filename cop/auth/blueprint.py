"""The blueprint of cop.auth: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("auth", "cop.auth")
