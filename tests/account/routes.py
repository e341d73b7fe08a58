"""How the account routes answer each kind of person (merged into tests/core/test_route_access.py).

GET_ROUTES / POST_ROUTES: endpoint -> class, as in that file; route_args() adds no URL
arguments (every page is the signed-in person's own)."""
from __future__ import annotations

GET_ROUTES: dict = {
    "account.edit_profile": "signed_in",
    "account.change_password": "signed_in",
    "account.my_data": "signed_in",
    "account.export": "signed_in",
    "account.delete_account": "signed_in",
}
POST_ROUTES: dict = {}


def route_args(app, world, factory) -> dict:
    return {}
