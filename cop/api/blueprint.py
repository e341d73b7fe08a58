"""The blueprints of cop.api: `bp` is the JSON API under /api/v1/ (bearer tokens only, never a
browser session); `pages` holds the token pages of the person's account and the human page
/api. `wiring.init_app` registers both."""
from flask import Blueprint

bp = Blueprint("api", "cop.api", url_prefix="/api/v1")
pages = Blueprint("api_pages", "cop.api")
