"""Access clauses are built once per request and person, and built again once the person's
memberships change within the request (`forget_ties`)."""
from __future__ import annotations

from sqlalchemy import select

from cop import access
from cop.auth.models import User
from cop.extensions import db
from cop.spaces import services as spaces
from cop.spaces.models import Space


def _visible(user) -> set[int]:
    return set(db.session.scalars(select(Space.id).where(access.visible_spaces_clause(user))))


def test_a_clause_is_built_once_per_request_and_again_after_a_membership_change(
        app, world, factory):
    private = factory.space(name="Tavolo riservato", visibility="riservato")
    with app.test_request_context():
        outsider = db.session.get(User, world.outsider.id)
        first = access.visible_spaces_clause(outsider)
        assert access.visible_spaces_clause(outsider) is first  # not built again
        assert private.id not in _visible(outsider)
        spaces.add_member(db.session.get(Space, private.id), outsider)
        access.forget_ties()
        assert access.visible_spaces_clause(outsider) is not first
        assert private.id in _visible(outsider)
    with app.test_request_context():  # another request builds its own
        assert access.visible_spaces_clause(db.session.get(User, world.outsider.id)) is not first
