"""How the identity provider's routes answer each kind of person (merged into
tests/core/test_route_access.py). That file's app has no provider configured: each route
answers 404 (tests/oidc/test_sign_in.py requests them with one); linking from the profile
asks who you are first."""
from __future__ import annotations

GET_ROUTES: dict = {
    "oidc.start": (404, 404, 404, 404, 404),
    "oidc.callback": (404, 404, 404, 404, 404),
    "oidc.link": ("login", 404, 404, 404, 404),
}
POST_ROUTES: dict = {}


def route_args(app, world, factory) -> dict:
    return {}
