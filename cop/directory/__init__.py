"""The directory of people, skills and trainers across all Alleanze."""
from flask import Blueprint

bp = Blueprint("directory", __name__)

from cop.directory import views  # noqa: E402,F401
