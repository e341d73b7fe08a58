"""The blueprint of cop.people: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("people", "cop.people")
