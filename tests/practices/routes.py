"""How the practices routes answer each kind of person (merged into
tests/core/test_route_access.py).

GET_ROUTES / POST_ROUTES: endpoint -> class, as in that file. route_args() returns URL
arguments that exist: a draft record of the `world` fixture's reserved Alleanza space.
"""
from __future__ import annotations

from tests.practices.helpers import Practices

GET_ROUTES: dict = {
    "practices.library": "signed_in",
    "practices.export": "signed_in",
    "practices.overlaps": "signed_in",
    "practices.show": "member",
    "practices.printable": "member",
    "practices.edit": "member",
    "practices.versions": "member",
    "practices.version_diff": "member",
    "practices.new": "member",
    # a button's address, opened: back to the record (readers only)
    "practices.form_address": ("login", 404, 302, 302, 302),
    "practices.space_practices": "member",
    "showcase.index": "public",
    "showcase.show": (404, 404, 404, 404, 404),  # a draft is never in the showcase
}
POST_ROUTES: dict = {
    name: "member" for name in (
        "practices.submit", "practices.review", "practices.publish", "practices.archive",
        "practices.restore", "practices.delete", "practices.adopt", "practices.withdraw",
        "practices.change_adoption", "practices.withdraw_submission",
        "practices.comment", "practices.remove_attachment")
}


def route_args(app, world, factory) -> dict:
    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="bozza")
    return {"practice_id": practice_id, "number": 1, "fmt": "csv", "form": "valutazione"}
