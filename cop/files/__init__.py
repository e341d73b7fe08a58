"""Attachments: upload checks, storage and access-checked downloads, for any feature."""
from flask import Blueprint

bp = Blueprint("files", __name__)

from cop.files import views  # noqa: E402,F401
