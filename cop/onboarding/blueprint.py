"""The blueprint of cop.onboarding: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("onboarding", "cop.onboarding")
