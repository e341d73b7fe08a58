"""How the onboarding routes answer each kind of person (merged into
tests/core/test_route_access.py).

GET_ROUTES / POST_ROUTES: endpoint -> class, as in that file; route_args() returns URL arguments
that exist, merged with the core ones.
"""
from __future__ import annotations

LOGIN = "login"

GET_ROUTES: dict = {}
POST_ROUTES: dict = {
    "onboarding.dismiss": "signed_in",
}


def route_args(app, world, factory) -> dict:
    return {}
