"""The blueprint of cop.meetings: its views attach their routes to it;
`wiring.init_app` registers it."""
from flask import Blueprint

bp = Blueprint("meetings", "cop.meetings")

# The .ics feeds, outside the space pages (cop/meetings/feeds.py).
feeds_bp = Blueprint("feeds", "cop.meetings")
