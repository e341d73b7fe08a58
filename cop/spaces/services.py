"""Writes on spaces, memberships and join requests. Never commits: the view does."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from cop import access, mail
from cop.database import utcnow
from cop.errors import ServiceError
from cop.extensions import db
from cop.markdown import render_markdown
from cop.spaces.models import JoinRequest, JoinStatus, Membership, Space, SpaceRole
from cop.spaces.queries import coordinators_of
from cop.text import slugify


def unique_slug(name: str) -> str:
    base = slugify(name)
    slug, n = base, 2
    while db.session.scalar(select(Space.id).where(Space.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_space(*, name: str, kind: str, visibility: str, description: str = "",
                 ats_id: int | None = None, alleanza_id: int | None = None,
                 slug: str | None = None) -> Space:
    space = Space(
        name=name.strip(), kind=kind, visibility=visibility, ats_id=ats_id,
        alleanza_id=alleanza_id, slug=slug or unique_slug(name),
        description=description, description_html=render_markdown(description),
        member_count=0, pending_request_count=0,
    )
    db.session.add(space)
    db.session.flush()
    return space


def update_space(space: Space, *, name: str, description: str, visibility: str) -> None:
    space.name = name.strip()
    space.description = description
    space.description_html = render_markdown(description)
    space.visibility = visibility


def membership_of(space: Space, user) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.space_id == space.id, Membership.user_id == user.id)
    )


def add_member(space: Space, user, role: str = SpaceRole.MEMBER.value) -> Membership:
    """Adds `user` to `space`; if already a member, keeps the membership as it is."""
    existing = membership_of(space, user)
    if existing:
        return existing
    membership = Membership(space_id=space.id, user_id=user.id, role=role)
    db.session.add(membership)
    space.member_count = Space.member_count + 1
    _close_pending_requests(space, user, JoinStatus.ACCEPTED)
    db.session.flush()
    access.forget_ties()
    return membership


def _coordinator_count(space: Space) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Membership).where(
            Membership.space_id == space.id, Membership.role == SpaceRole.COORDINATOR.value
        )
    )


def _ensure_not_last_coordinator(space: Space, membership: Membership) -> None:
    if membership.role == SpaceRole.COORDINATOR.value and _coordinator_count(space) <= 1:
        raise ServiceError(_("Lo spazio deve avere almeno un coordinatore: "
                             "nomina prima un altro coordinatore."))


def change_role(space: Space, user, role: str) -> None:
    membership = membership_of(space, user)
    if membership is None:
        raise ServiceError(_("Questa persona non è membro dello spazio."))
    if role != membership.role:
        _ensure_not_last_coordinator(space, membership)
        membership.role = role
        access.forget_ties()


def remove_member(space: Space, user) -> None:
    membership = membership_of(space, user)
    if membership is None:
        raise ServiceError(_("Questa persona non è membro dello spazio."))
    _ensure_not_last_coordinator(space, membership)
    db.session.delete(membership)
    space.member_count = Space.member_count - 1
    db.session.flush()
    access.forget_ties()


def pending_request(space: Space, user) -> JoinRequest | None:
    return db.session.scalar(
        select(JoinRequest).where(
            JoinRequest.space_id == space.id, JoinRequest.user_id == user.id,
            JoinRequest.status == JoinStatus.PENDING.value,
        )
    )


def request_to_join(space: Space, user, message: str = "") -> JoinRequest:
    if membership_of(space, user):
        raise ServiceError(_("Fai già parte di questo spazio."))
    if pending_request(space, user):
        raise ServiceError(_("Hai già chiesto di partecipare: i coordinatori ti risponderanno."))
    join_request = JoinRequest(space_id=space.id, user_id=user.id, message=message.strip())
    db.session.add(join_request)
    space.pending_request_count = Space.pending_request_count + 1
    db.session.flush()

    for coordinator in db.session.scalars(coordinators_of(space)):
        mail.queue(db.session, mail.build_message(
            coordinator.email, "join_request", locale=coordinator.locale,
            space=space, requester=user, message=join_request.message,
        ))
    return join_request


def decide_join_request(join_request: JoinRequest, decider, accept: bool) -> None:
    if join_request.status != JoinStatus.PENDING.value:
        raise ServiceError(_("Questa richiesta è già stata gestita."))
    space = db.session.get(Space, join_request.space_id)
    requester = join_request.user
    join_request.decided_by_id = decider.id
    if accept:
        add_member(space, requester)  # closes the request as accepted
    else:
        join_request.status = JoinStatus.REFUSED.value
        join_request.decided_at = utcnow()
        space.pending_request_count = Space.pending_request_count - 1
    mail.queue(db.session, mail.build_message(
        requester.email, "join_decision", locale=requester.locale,
        space=space, accepted=accept, user=requester,
    ))


def _close_pending_requests(space: Space, user, status: JoinStatus) -> None:
    pending = pending_request(space, user)
    if pending:
        pending.status = status.value
        pending.decided_at = utcnow()
        space.pending_request_count = Space.pending_request_count - 1


def leave(space: Space, user) -> None:
    remove_member(space, user)
