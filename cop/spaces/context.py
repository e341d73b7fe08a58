"""The space a URL names: loaded once per request into `g.space`, access checked once.

Blueprints whose URLs start with /spazi/<slug>/ use these as their url_value_preprocessor and
before_request, so their views only do their own work.
"""
from flask import abort, current_app, g
from flask_login import current_user
from sqlalchemy import bindparam, select

from cop import access
from cop.extensions import db, login_manager
from cop.spaces.models import Space

_BY_SLUG = select(Space).where(Space.slug == bindparam("slug"))  # built once: every space page


def load_space(endpoint, values):
    if values and "slug" in values:
        g.space = db.session.scalar(_BY_SLUG, {"slug": values.pop("slug")})


def require_space_access():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if "space" in g and (g.space is None or not access.can(current_user, access.VIEW, g.space)):
        abort(404)  # a reserved space does not exist for outsiders
    return None


def add_slug(endpoint, values):
    """url_for inside a space's pages fills in the space's slug."""
    if "slug" not in values and getattr(g, "space", None) is not None and \
            current_app.url_map.is_endpoint_expecting(endpoint, "slug"):
        values["slug"] = g.space.slug
