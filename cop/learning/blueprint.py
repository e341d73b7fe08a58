"""The blueprint of cop.learning: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("learning", "cop.learning")
