"""How the dashboard routes answer each kind of person (merged into
tests/core/test_route_access.py).

A space's dashboard is for the people who run it (the reserved space's coordinator, its ATS's
referent, admins; facilitators too, tested in tests/dashboard/test_pages.py); the regional one
for admins.
"""
from __future__ import annotations

LOGIN = "login"

GET_ROUTES: dict = {
    "dashboard.space_dashboard": "coordinator",
    "dashboard.space_csv": "coordinator",
    "dashboard.regional": "admin",
    "dashboard.regional_csv": "admin",
}
POST_ROUTES: dict = {}


def route_args(app, world, factory) -> dict:
    return {}
