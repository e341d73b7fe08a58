"""How the digests routes answer each kind of person (merged into tests/core/test_route_access.py).

GET_ROUTES / POST_ROUTES: endpoint -> class, as in that file; route_args() returns URL arguments
that exist, merged with the core ones.
"""
from __future__ import annotations

LOGIN = "login"

GET_ROUTES: dict = {
    # The signed token is the key, for everybody alike: a token that is not valid is a 404.
    "digests.unsubscribe": (404, 404, 404, 404, 404),
}
POST_ROUTES: dict = {
    "digests.unsubscribe": (404, 404, 404, 404, 404),
}


def route_args(app, world, factory) -> dict:
    return {}
