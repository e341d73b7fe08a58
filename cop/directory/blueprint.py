"""The blueprint of cop.directory: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("directory", "cop.directory")
