"""The blueprint of cop.files: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("files", "cop.files")
