"""Who may see and do what. Every page, list and query asks here; nowhere else decides.

`can(user, action, thing)` answers for one object; `visible_spaces_clause(user)` is the same
rule as a SQL condition, so lists, searches and feeds filter in the database.

Rules:
- a *regionale* space is visible to everybody signed in; a *riservato* one to its members, to
  the coordinators of its ATS space (for an Alleanza space) and to site admins; to anyone
  else it does not exist (404);
- members of a space take part in it; coordinators manage it (edit, invite, members, join
  requests); the coordinators of an ATS space also manage the spaces of that ATS's Alleanze;
- site admins may do everything; profiles and organisations are visible to everybody signed in.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import and_, false, or_, select, true

from cop.extensions import db
from cop.spaces.models import Membership, Space, SpaceKind, SpaceRole, Visibility

VIEW = "view"
PARTICIPATE = "participate"
MANAGE = "manage"
REQUEST_JOIN = "request_join"
LEAVE = "leave"
EDIT = "edit"
INVITE = "invite"
ADMINISTER = "administer"


@dataclass(frozen=True)
class SpaceTie:
    role: str
    kind: str
    ats_id: int | None


def _ties(user) -> dict[int, SpaceTie]:
    """The person's memberships (role, space kind, space ATS), loaded once per request."""
    if not _signed_in(user):
        return {}
    cache = g.setdefault("_cop_ties", {}) if has_request_context() else {}
    if user.id not in cache:
        rows = db.session.execute(
            select(Membership.space_id, Membership.role, Space.kind, Space.ats_id)
            .join(Space, Space.id == Membership.space_id)
            .where(Membership.user_id == user.id)
        )
        cache[user.id] = {r.space_id: SpaceTie(r.role, r.kind, r.ats_id) for r in rows}
    return cache[user.id]


def forget_ties() -> None:
    """Call after changing memberships within a request that will ask again."""
    if has_request_context():
        g.pop("_cop_ties", None)


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def space_role(user, space: Space) -> str | None:
    tie = _ties(user).get(space.id)
    return tie.role if tie else None


def coordinated_ats_ids(user) -> set[int]:
    return {
        t.ats_id
        for t in _ties(user).values()
        if t.kind == SpaceKind.ATS.value and t.role == SpaceRole.COORDINATOR.value and t.ats_id
    }


def _manages(user, space: Space) -> bool:
    if user.is_admin:
        return True
    if space_role(user, space) == SpaceRole.COORDINATOR.value:
        return True
    return space.kind == SpaceKind.ALLEANZA.value and space.ats_id in coordinated_ats_ids(user)


def _can_space(user, action: str, space: Space) -> bool:
    role = space_role(user, space)
    if action == VIEW:
        return (
            space.visibility == Visibility.REGIONAL.value
            or role is not None
            or _manages(user, space)
        )
    if action == PARTICIPATE:
        return role is not None or _manages(user, space)
    if action in (MANAGE, INVITE):
        return _manages(user, space)
    if action == REQUEST_JOIN:
        return role is None and space.visibility == Visibility.REGIONAL.value
    if action == LEAVE:
        return role is not None
    return False


def can(user, action: str, thing=None) -> bool:
    if not _signed_in(user) or not user.is_active:
        return False
    if isinstance(thing, Space):
        return _can_space(user, action, thing)
    from cop.auth.models import User
    from cop.network.models import Organisation

    if isinstance(thing, User):
        if action == VIEW:
            return True
        return action == EDIT and (thing.id == user.id or user.is_admin)
    if isinstance(thing, Organisation):
        return action == VIEW or (action in (EDIT, MANAGE) and user.is_admin)
    if thing is None:
        if action == ADMINISTER:
            return user.is_admin
        if action == INVITE:  # invite somebody into at least one space
            return user.is_admin or any(
                t.role == SpaceRole.COORDINATOR.value for t in _ties(user).values()
            )
    return False


def visible_spaces_clause(user):
    """SQL condition on Space: the spaces `user` may see."""
    if not _signed_in(user) or not user.is_active:
        return false()
    if user.is_admin:
        return true()
    member_of = select(Membership.space_id).where(Membership.user_id == user.id)
    clauses = [Space.visibility == Visibility.REGIONAL.value, Space.id.in_(member_of)]
    ats_ids = coordinated_ats_ids(user)
    if ats_ids:
        clauses.append(and_(Space.kind == SpaceKind.ALLEANZA.value, Space.ats_id.in_(ats_ids)))
    return or_(*clauses)


def managed_spaces_clause(user):
    """SQL condition on Space: the spaces `user` manages (coordinates or oversees)."""
    if not _signed_in(user) or not user.is_active:
        return false()
    if user.is_admin:
        return true()
    coordinated = [sid for sid, t in _ties(user).items() if t.role == SpaceRole.COORDINATOR.value]
    clauses = [Space.id.in_(coordinated)] if coordinated else []
    ats_ids = coordinated_ats_ids(user)
    if ats_ids:
        clauses.append(and_(Space.kind == SpaceKind.ALLEANZA.value, Space.ats_id.in_(ats_ids)))
    return or_(*clauses) if clauses else false()
