"""The blueprint of cop.learning: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("learning", "cop.learning")

# The public check of an attestation's code, without signing in (cop/learning/verification.py).
verification_bp = Blueprint("verification", "cop.learning")
