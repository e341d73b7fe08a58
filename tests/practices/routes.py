"""How the practices routes answer each kind of person (merged into tests/core/test_route_access.py).

GET_ROUTES / POST_ROUTES: endpoint -> class, as in that file. route_args() returns URL
arguments that exist (ids of rows it creates around the `world` fixture's reserved space),
merged with the core ones.
"""
from __future__ import annotations

GET_ROUTES: dict = {}
POST_ROUTES: dict = {}


def route_args(app, world, factory) -> dict:
    return {}
