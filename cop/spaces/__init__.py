from flask import Blueprint

bp = Blueprint("spaces", __name__, url_prefix="/spazi")

from cop.spaces import views  # noqa: E402,F401
