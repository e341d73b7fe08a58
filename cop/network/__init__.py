from flask import Blueprint

bp = Blueprint("network", __name__)

from cop.network import views  # noqa: E402,F401
