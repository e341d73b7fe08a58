"""The blueprint of cop.main: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("main", "cop.main")
