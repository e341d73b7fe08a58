"""Reads on spaces that pages share. Every list goes through access.visible_spaces_clause."""
from __future__ import annotations

from sqlalchemy import case, select
from sqlalchemy.orm import joinedload

from cop import access
from cop.auth.models import Invitation, User
from cop.extensions import db
from cop.network.models import Ats
from cop.practices.models import LIBRARY_SPACE_SLUG
from cop.spaces.models import JoinRequest, JoinStatus, Membership, Space, SpaceKind, SpaceRole

KIND_ORDER = case(
    {SpaceKind.THEMATIC.value: 0, SpaceKind.ATS.value: 1, SpaceKind.ALLEANZA.value: 2},
    value=Space.kind,
)
ROLE_ORDER = case(
    {SpaceRole.COORDINATOR.value: 0, SpaceRole.FACILITATOR.value: 1, SpaceRole.MEMBER.value: 2},
    value=Membership.role,
)


def visible_spaces(user, kind: str = "", ats_id: int | None = None, search: str = ""):
    """The spaces `user` may see, for lists: not the library's technical space, which only
    holds the comments on records read beyond their own space (it has no members)."""
    query = (
        select(Space)
        .outerjoin(Ats, Ats.id == Space.ats_id)
        .where(access.visible_spaces_clause(user), Space.slug != LIBRARY_SPACE_SLUG)
        .order_by(KIND_ORDER, Ats.name, Space.name)
    )
    if kind:
        query = query.where(Space.kind == kind)
    if ats_id:
        query = query.where(Space.ats_id == ats_id)
    if search:
        query = query.where(Space.name.icontains(search, autoescape=True))
    return query


def my_spaces(user):
    return (
        select(Space, Membership.role)
        .join(Membership, Membership.space_id == Space.id)
        .outerjoin(Ats, Ats.id == Space.ats_id)
        .where(Membership.user_id == user.id)
        .order_by(KIND_ORDER, Ats.name, Space.name)
    )


def pending_space_ids(user) -> set[int]:
    return set(db.session.scalars(
        select(JoinRequest.space_id).where(
            JoinRequest.user_id == user.id, JoinRequest.status == JoinStatus.PENDING.value)
    ))


def members(space: Space):
    return (
        select(Membership)
        .options(joinedload(Membership.user))
        .join(User, User.id == Membership.user_id)
        .where(Membership.space_id == space.id)
        .order_by(ROLE_ORDER, User.name)
    )


def leaders(space: Space):
    """Coordinators and facilitators, for the space home."""
    return members(space).where(Membership.role != SpaceRole.MEMBER.value).limit(12)


def coordinators_of(space: Space):
    return (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.space_id == space.id, Membership.role == SpaceRole.COORDINATOR.value,
               User.active.is_(True))
    )


def pending_requests(space: Space):
    return (
        select(JoinRequest)
        .options(joinedload(JoinRequest.user))
        .where(JoinRequest.space_id == space.id, JoinRequest.status == JoinStatus.PENDING.value)
        .order_by(JoinRequest.created_at)
    )


def alleanza_spaces_of(ats_space: Space, user):
    return (
        select(Space)
        .where(Space.kind == SpaceKind.ALLEANZA.value, Space.ats_id == ats_space.ats_id,
               access.visible_spaces_clause(user))
        .order_by(Space.name)
    )


def open_invitations(space: Space, now):
    return (
        select(Invitation)
        .where(Invitation.space_id == space.id, Invitation.accepted_at.is_(None),
               Invitation.revoked_at.is_(None), Invitation.expires_at > now)
        .order_by(Invitation.created_at.desc())
    )
