"""The blueprint of cop.oidc: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("oidc", "cop.oidc")
