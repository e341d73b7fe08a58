"""The blueprint of cop.stories: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("stories", "cop.stories")
