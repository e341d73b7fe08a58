"""The blueprint of cop.spaces: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("spaces", "cop.spaces", url_prefix="/spazi")
