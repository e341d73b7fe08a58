"""A person's own data: everything the platform holds about them (export), and deleting the
account on their request.

Export: a JSON document of the account, the directory profile, memberships and requests, what
they wrote, marked and were told. Another feature adds its part with `register_export`.
Texts of other people are left out, with one exception the person needs to read their own
posts: the title of a thread, given only while the thread is still visible to them.

Deletion: the account and everything that is only theirs go (the database cascades);
their posts and threads stay, without an author («utente rimosso»); the stored counters the
rows fed (space members, pending requests, «mi è utile», people of the organisation) are
brought back in step (features add theirs with `register_deletion`).
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from cop import access
from cop.auth.models import Invitation, LoginSession, SiteRole, User
from cop.database import utcnow
from cop.directory.models import (
    Endorsement, LearningRecord, PersonSkill, ProfileDetails, TrainerOffer,
)
from cop.discussions.models import Post, PostUseful, Thread
from cop.errors import ServiceError
from cop.extensions import db
from cop.network.models import Organisation
from cop.notifications.models import Notification, NotificationSettings, Subscription
from cop.spaces.models import JoinRequest, JoinStatus, Membership, Space, SpaceRole

FORMAT_VERSION = 1
_EXPORTS: dict[str, Callable] = {}
_BEFORE_DELETION: dict[str, Callable] = {}


def register_export(name: str, collect: Callable) -> None:
    """`collect(user)` returns a JSON-ready list or dict: the feature's data about `user`."""
    _EXPORTS[name] = collect


def register_deletion(name: str, before: Callable) -> None:
    """`before(user)` runs just before the account is deleted: the feature removes its rows of
    the person and brings its stored counters back in step."""
    _BEFORE_DELETION[name] = before


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_data(user: User) -> dict:
    details = db.session.get(ProfileDetails, user.id)
    offer = db.session.get(TrainerOffer, user.id)
    visible_threads = select(Thread.id).where(access.visible_threads_clause(user))
    data = {
        "format_version": FORMAT_VERSION,
        "exported_at": _when(utcnow()),
        "account": {
            "id": user.id, "email": user.email, "name": user.name, "handle": user.handle,
            "organisation": user.organisation.name, "job_title": user.job_title,
            "bio": user.bio, "locale": user.locale, "site_role": user.site_role,
            "active": user.active, "created_at": _when(user.created_at),
            "last_login_at": _when(user.last_login_at),
            "password_changed_at": _when(user.password_changed_at),
        },
        "profile": {
            "details_visible_to": details.visibility if details else "tutti",
            "topics": details.topic_list if details else [],
            "languages": details.languages if details else "",
        },
        "skills": [
            {"skill": code, "label": label, "level": level, "endorsements": count}
            for code, label, level, count in db.session.execute(
                select(PersonSkill.skill_code, _skill_label(), PersonSkill.level,
                       PersonSkill.endorsement_count)
                .join(PersonSkill.skill).where(PersonSkill.user_id == user.id)
                .order_by(PersonSkill.skill_code))
        ],
        "endorsements_received": [
            {"skill": e.skill_code, "by": name, "note": e.note, "at": _when(e.created_at)}
            for e, name in db.session.execute(
                select(Endorsement, User.name).join(User, User.id == Endorsement.endorser_id)
                .where(Endorsement.user_id == user.id).order_by(Endorsement.id))
        ],
        "endorsements_given": [
            {"skill": e.skill_code, "to": name, "note": e.note, "at": _when(e.created_at)}
            for e, name in db.session.execute(
                select(Endorsement, User.name).join(User, User.id == Endorsement.user_id)
                .where(Endorsement.endorser_id == user.id).order_by(Endorsement.id))
        ],
        "learning": [
            {"title": r.title, "kind": r.kind, "provider": r.provider, "year": r.year}
            for r in db.session.scalars(select(LearningRecord).where(
                LearningRecord.user_id == user.id).order_by(LearningRecord.year))
        ],
        "trainer_offer": None if offer is None else {
            "topics": offer.topic_list, "in_person": offer.in_person, "online": offer.online,
            "availability": offer.availability,
            "territories": [a.full_name for a in offer.territories],
        },
        "memberships": [
            {"space": name, "role": role, "since": _when(created)}
            for name, role, created in db.session.execute(
                select(Space.name, Membership.role, Membership.created_at)
                .join(Space, Space.id == Membership.space_id)
                .where(Membership.user_id == user.id).order_by(Space.name))
        ],
        "join_requests": [
            {"space": name, "message": r.message, "status": r.status, "at": _when(r.created_at)}
            for r, name in db.session.execute(
                select(JoinRequest, Space.name).join(Space, Space.id == JoinRequest.space_id)
                .where(JoinRequest.user_id == user.id).order_by(JoinRequest.id))
        ],
        "posts": [
            {"id": post.id, "thread_id": post.thread_id, "opening": post.parent_id is None,
             "thread_title": title if visible else None, "body": post.body,
             "created_at": _when(post.created_at), "edited_at": _when(post.edited_at),
             "deleted_at": _when(post.deleted_at)}
            for post, title, visible in db.session.execute(
                select(Post, Thread.title, Thread.id.in_(visible_threads))
                .join(Thread, Thread.id == Post.thread_id)
                .where(Post.author_id == user.id).order_by(Post.id))
        ],
        "marked_useful": list(db.session.scalars(
            select(PostUseful.post_id).where(PostUseful.user_id == user.id)
            .order_by(PostUseful.post_id))),
        "subscriptions": [
            {"thread_id": s.thread_id, "space_id": s.space_id, "level": s.level}
            for s in db.session.scalars(select(Subscription).where(
                Subscription.user_id == user.id).order_by(Subscription.id))
        ],
        "notification_settings": db.session.scalar(select(NotificationSettings.email_frequency)
                                                   .where(NotificationSettings.user_id == user.id)),
        "notifications": [
            {"kind": n.kind, "action": n.action, "thread_id": n.thread_id, "post_id": n.post_id,
             "created_at": _when(n.created_at), "read_at": _when(n.read_at)}
            for n in db.session.scalars(select(Notification).where(
                Notification.user_id == user.id,
                Notification.thread_id.is_(None) | Notification.thread_id.in_(visible_threads))
                .order_by(Notification.id))
        ],
        "sign_in_sessions": [
            {"created_at": _when(s.created_at), "user_agent": s.user_agent}
            for s in db.session.scalars(select(LoginSession).where(
                LoginSession.user_id == user.id).order_by(LoginSession.id))
        ],
        "invitations_sent": [
            {"email": i.email, "name": i.name, "at": _when(i.created_at),
             "accepted": i.accepted_at is not None}
            for i in db.session.scalars(select(Invitation).where(
                Invitation.invited_by_id == user.id).order_by(Invitation.id))
        ],
    }
    for name, collect in _EXPORTS.items():
        data[name] = collect(user)
    return data


def _skill_label():
    from cop.reference.models import Skill

    return Skill.label_it


# --- deletion -------------------------------------------------------------------------------

def check_deletable(user: User) -> None:
    """Refuses while the account holds something nobody else would: the last administrator,
    the only coordinator of a space."""
    if user.site_role == SiteRole.ADMIN.value:
        admins = db.session.scalar(select(func.count()).select_from(User).where(
            User.site_role == SiteRole.ADMIN.value, User.active.is_(True)))
        if admins <= 1:
            raise ServiceError(_("Sei l'unico amministratore: nomina prima un altro "
                                 "amministratore."))
    coordinated = select(Membership.space_id).where(
        Membership.user_id == user.id, Membership.role == SpaceRole.COORDINATOR.value)
    others = (select(func.count()).where(Membership.space_id == Space.id,
                                         Membership.role == SpaceRole.COORDINATOR.value,
                                         Membership.user_id != user.id)
              .correlate(Space).scalar_subquery())
    alone = db.session.scalars(select(Space.name).where(Space.id.in_(coordinated), others == 0)
                               .order_by(Space.name)).all()
    if alone:
        raise ServiceError(_("Sei l'unico coordinatore di: %(spaces)s. Nomina prima un altro "
                             "coordinatore.", spaces=", ".join(alone)))


def delete_account(user: User) -> None:
    """Deletes `user` (the view has checked the password; see the module's docstring)."""
    check_deletable(user)
    user_id = user.id
    for before in _BEFORE_DELETION.values():
        before(user)
    for space_id in db.session.scalars(select(Membership.space_id).where(
            Membership.user_id == user_id)):
        db.session.execute(update(Space).where(Space.id == space_id)
                           .values(member_count=Space.member_count - 1))
    for space_id in db.session.scalars(select(JoinRequest.space_id).where(
            JoinRequest.user_id == user_id, JoinRequest.status == JoinStatus.PENDING.value)):
        db.session.execute(update(Space).where(Space.id == space_id)
                           .values(pending_request_count=Space.pending_request_count - 1))
    db.session.execute(update(Post).where(Post.id.in_(
        select(PostUseful.post_id).where(PostUseful.user_id == user_id)))
        .values(useful_count=Post.useful_count - 1))
    for skill_code, endorsed in db.session.execute(select(Endorsement.skill_code,
                                                          Endorsement.user_id)
                                                   .where(Endorsement.endorser_id == user_id)):
        db.session.execute(update(PersonSkill).where(
            PersonSkill.user_id == endorsed, PersonSkill.skill_code == skill_code)
            .values(endorsement_count=PersonSkill.endorsement_count - 1))
    db.session.execute(update(Organisation).where(Organisation.id == user.organisation_id)
                       .values(people_count=Organisation.people_count - 1))
    db.session.expunge(user)
    db.session.execute(delete(User).where(User.id == user_id))
    access.forget_ties()
