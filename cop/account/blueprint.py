"""The blueprint of cop.account: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("account", "cop.account")
