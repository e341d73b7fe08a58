"""The blueprint of cop.admin: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("admin", "cop.admin", url_prefix="/admin")
