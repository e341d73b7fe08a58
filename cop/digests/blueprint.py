"""The blueprint of cop.digests: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("digests", "cop.digests")
