"""How the API's routes answer each kind of person (merged into tests/core/test_route_access.py).

GET_ROUTES / POST_ROUTES: endpoint -> class, as in that file. The JSON API answers browsers
(sessions) with 401 whoever is signed in: it opens only to a bearer token (tests/api). The
description and /api are public; the token pages are each person's own."""
from __future__ import annotations

from tests.api.helpers import make_token, stored_token

API_ONLY = (401, 401, 401, 401, 401)  # a session is no token

GET_ROUTES: dict = {
    "api.openapi": "public",
    "api.index": API_ONLY,
    "api.spaces": API_ONLY,
    "api.space": API_ONLY,
    "api.practices": API_ONLY,
    "api.practice_counts": API_ONLY,
    "api.practice": API_ONLY,
    "api.meetings": API_ONLY,
    "api.meeting": API_ONLY,
    "api.dashboards": API_ONLY,
    "api.region_dashboard": API_ONLY,
    "api.space_dashboard": API_ONLY,
    "api.unknown": (404, 404, 404, 404, 404),
    "api_pages.guide": "public",
    "api_pages.tokens": "signed_in",
}
POST_ROUTES: dict = {
    "api_pages.revoke": "signed_in",  # somebody else's token: 404 (tests/api/test_tokens.py)
}


def route_args(app, world, factory) -> dict:
    make_token(app, world.member.id)
    return {"token_id": stored_token(app, user_id=world.member.id).id, "rest": "nulla"}
