"""The person's own account: their profile, everything the platform holds about them (export),
and deleting the account on their request.

Export: a JSON document of sections (top-level keys). Each feature adds its sections with one
collector, `register_collector(name, collect)` from its `wiring.init_app`; this package's own
collector (`collect`) gives the core: the account, spaces and requests, posts, notifications,
sign-ins and invitations. Texts of other people are left out, with one exception the person
needs to read their own words: the title of what they wrote in (a thread, a record, a meeting),
given only while it is still visible to them.

Deletion: the account and everything that is only theirs go (the database cascades);
their posts and threads stay, without an author («utente rimosso»); the stored counters the
rows fed (space members, pending requests, «mi è utile», people of the organisation) are
brought back in step. Features do theirs first, with `register_deletion(name, before)`.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from cop import access
from cop.auth.models import Invitation, LoginSession, SiteRole, User
from cop.database import utcnow
from cop.directory.services import refresh_search_words
from cop.discussions.models import Post, PostUseful, Thread
from cop.errors import ServiceError
from cop.extensions import db
from cop.markdown import render_markdown
from cop.network.models import Organisation
from cop.notifications import queries as notification_queries
from cop.notifications import services as notification_services
from cop.notifications.models import Notification, NotificationSettings, Subscription
from cop.spaces.models import JoinRequest, JoinStatus, Membership, Space, SpaceRole

FORMAT_VERSION = 1
_COLLECTORS: dict[str, Callable[[User], dict]] = {}
_BEFORE_DELETION: dict[str, Callable[[User], None]] = {}


def register_collector(name: str, collect: Callable[[User], dict]) -> None:
    """`collect(user)` returns the feature's sections of the export, {section: JSON-ready
    data}. Keyed by `name` (the feature): registering again replaces, so building several apps
    in one process collects once."""
    _COLLECTORS[name] = collect


def register_deletion(name: str, before: Callable[[User], None]) -> None:
    """`before(user)` runs just before the account is deleted: the feature removes its rows of
    the person and brings its stored counters back in step. Keyed by `name`, like collectors."""
    _BEFORE_DELETION[name] = before


def when(value: datetime | None) -> str | None:
    """A date or time as the export writes it."""
    return value.isoformat() if value else None


# --- the profile ----------------------------------------------------------------------------

def update_profile(user, *, name: str, job_title: str, bio: str, locale: str) -> None:
    user.name = name.strip()
    user.job_title = job_title.strip()
    user.bio = bio
    user.bio_html = render_markdown(bio)
    user.locale = locale

    refresh_search_words(user)  # the directory finds people by the words of their bio


# --- export ---------------------------------------------------------------------------------

def export_data(user: User) -> dict:
    """The whole document: its version and date, then each collector's sections in the order
    the features were wired (this package's core first)."""
    data: dict = {"format_version": FORMAT_VERSION, "exported_at": when(utcnow())}
    for name, collect in _COLLECTORS.items():
        sections = collect(user)
        taken = sections.keys() & data.keys()
        if taken:
            raise RuntimeError(f"the export's collector {name!r} repeats sections {sorted(taken)}")
        data.update(sections)
    return data


def collect(user: User) -> dict:
    """The core sections: the account, spaces and requests, posts and «mi è utile»,
    subscriptions and notifications, sign-ins and invitations sent."""
    visible_threads = select(Thread.id).where(access.visible_threads_clause(user))
    return {
        "account": {
            "id": user.id, "email": user.email, "name": user.name, "handle": user.handle,
            "organisation": user.organisation.name, "job_title": user.job_title,
            "bio": user.bio, "locale": user.locale, "site_role": user.site_role,
            "active": user.active, "created_at": when(user.created_at),
            "last_login_at": when(user.last_login_at),
            "password_changed_at": when(user.password_changed_at),
        },
        "memberships": [
            {"space": name, "role": role, "since": when(created)}
            for name, role, created in db.session.execute(
                select(Space.name, Membership.role, Membership.created_at)
                .join(Space, Space.id == Membership.space_id)
                .where(Membership.user_id == user.id).order_by(Space.name))
        ],
        "join_requests": [
            {"space": name, "message": r.message, "status": r.status, "at": when(r.created_at)}
            for r, name in db.session.execute(
                select(JoinRequest, Space.name).join(Space, Space.id == JoinRequest.space_id)
                .where(JoinRequest.user_id == user.id).order_by(JoinRequest.id))
        ],
        "posts": [
            {"id": post.id, "thread_id": post.thread_id, "opening": post.parent_id is None,
             "thread_title": title if visible else None, "body": post.body,
             "created_at": when(post.created_at), "edited_at": when(post.edited_at),
             "deleted_at": when(post.deleted_at)}
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
        "notification_choices": notification_services.channels(user),
        # what the person may still see of them, as the list shows it
        "notifications": [
            {"kind": n.kind, "about": n.subject_type, "about_id": n.subject_id,
             "text": notification_services.describe(n), "action": n.action,
             "thread_id": n.thread_id, "post_id": n.post_id,
             "created_at": when(n.created_at), "read_at": when(n.read_at)}
            for n in notification_queries.attach_subjects(db.session.scalars(
                notification_queries.listed(user).order_by(None).order_by(Notification.id)
            ).all())
        ],
        "sign_in_sessions": [
            {"created_at": when(s.created_at), "user_agent": s.user_agent}
            for s in db.session.scalars(select(LoginSession).where(
                LoginSession.user_id == user.id).order_by(LoginSession.id))
        ],
        "invitations_sent": [
            {"email": i.email, "name": i.name, "at": when(i.created_at),
             "accepted": i.accepted_at is not None}
            for i in db.session.scalars(select(Invitation).where(
                Invitation.invited_by_id == user.id).order_by(Invitation.id))
        ],
    }


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
    db.session.execute(update(Organisation).where(Organisation.id == user.organisation_id)
                       .values(people_count=Organisation.people_count - 1))
    db.session.expunge(user)
    db.session.execute(delete(User).where(User.id == user_id))
    access.forget_ties()
