"""The blueprint of cop.discussions: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("discussions", "cop.discussions")
