"""The blueprint of cop.search: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("search", "cop.search")
