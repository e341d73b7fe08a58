"""Accounts: sign-in, passwords, invitations. Writes only; the view commits."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update

from cop import mail
from cop.auth.models import Invitation, SiteRole, User
from cop.auth.passwords import hash_password, verify_password
from cop.auth.sessions import end_all_sessions, start_session
from cop.database import utcnow
from cop.errors import ServiceError
from cop.extensions import db
from cop.markdown import render_markdown
from cop.network.models import Organisation
from cop.spaces import services as space_services
from cop.spaces.models import Space
from cop.text import normalise_email, slugify
from cop.tokens import hash_token, new_token


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    user = user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    return user if user.active else None


def sign_in(user: User, user_agent: str) -> str:
    user.last_login_at = utcnow()
    return start_session(user, user_agent)


def create_user(*, email: str, name: str, organisation: Organisation, password: str | None = None,
                site_role: str = SiteRole.MEMBER.value, job_title: str = "", locale: str = "it",
                bio: str = "") -> User:
    email = normalise_email(email)
    if user_by_email(email):
        raise ServiceError(_("Esiste già una persona con questo indirizzo email."))
    user = User(
        email=email, name=name.strip(), handle=unique_handle(name),
        organisation_id=organisation.id, site_role=site_role,
        job_title=job_title, locale=locale, bio=bio, bio_html=render_markdown(bio),
        password_hash=hash_password(password) if password else "",
        password_changed_at=utcnow() if password else None,
    )
    db.session.add(user)
    organisation.people_count = Organisation.people_count + 1
    db.session.flush()
    return user


def unique_handle(name: str) -> str:
    """The @name people use to mention somebody: "marco.bonetti", "marco.bonetti2" ..."""
    base = slugify(name, max_length=50).replace("-", ".")
    handle, n = base, 2
    while db.session.scalar(select(User.id).where(User.handle == handle)) is not None:
        handle, n = f"{base}{n}", n + 1
    return handle


def set_password(user: User, password: str, user_agent: str | None = None) -> str | None:
    """Changes the password and ends every session of the person.

    With `user_agent`, the browser making the change gets a fresh session and its token back.
    """
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(user)
    return start_session(user, user_agent) if user_agent is not None else None


# Password reset: a signed, timed token bound to the current password hash, so that it
# works once (the hash changes when it is used) and expires.
def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="cop-password-reset")


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "unset").encode()).hexdigest()[:16]


def request_password_reset(email: str) -> None:
    """Emails a reset link if the address belongs to an active account; silent otherwise."""
    user = user_by_email(email)
    if user is None or not user.active:
        return
    token = _reset_serializer().dumps({"u": user.id, "p": _password_fingerprint(user)})
    mail.queue(db.session, mail.build_message(
        user.email, "password_reset", locale=user.locale, user=user,
        link=mail.link("auth.reset_password", token=token),
        hours=current_app.config["PASSWORD_RESET_VALID_HOURS"],
    ))


def user_for_reset_token(token: str) -> User | None:
    max_age = current_app.config["PASSWORD_RESET_VALID_HOURS"] * 3600
    try:
        data = _reset_serializer().loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.active or data.get("p") != _password_fingerprint(user):
        return None
    return user


@dataclass
class InviteOutcome:
    invitation: Invitation | None = None
    added_user: User | None = None


def invite(*, inviter: User, email: str, name: str, organisation: Organisation,
           space: Space | None, space_role: str, message: str = "") -> InviteOutcome:
    """Invites an address into an organisation and a space.

    If the address already has an account, the person is added to the space at once and told
    by email; otherwise an invitation link is emailed (single use, expiring).
    """
    email = normalise_email(email)
    existing = user_by_email(email)
    if existing:
        if not existing.active:
            raise ServiceError(_("Questa persona ha un account disattivato: chiedi a un "
                                 "amministratore di riattivarlo."))
        if space is None:
            raise ServiceError(_("Questa persona ha già un account."))
        if space_services.membership_of(space, existing):
            raise ServiceError(_("Questa persona fa già parte dello spazio."))
        space_services.add_member(space, existing, space_role)
        mail.queue(db.session, mail.build_message(
            existing.email, "added_to_space", locale=existing.locale, user=existing,
            space=space, inviter=inviter, link=mail.link("spaces.home", slug=space.slug),
        ))
        return InviteOutcome(added_user=existing)

    # A new invitation replaces any earlier one still open for the same address.
    db.session.execute(
        update(Invitation)
        .where(Invitation.email == email, Invitation.accepted_at.is_(None),
               Invitation.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    raw, digest = new_token()
    days = current_app.config["INVITATION_VALID_DAYS"]
    invitation = Invitation(
        email=email, name=name.strip(), token_hash=digest, organisation_id=organisation.id,
        space_id=space.id if space else None, space_role=space_role, message=message.strip(),
        invited_by_id=inviter.id, expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(invitation)
    db.session.flush()
    mail.queue(db.session, mail.build_message(
        email, "invitation", locale="it", invitation=invitation, inviter=inviter,
        organisation=organisation, space=space, days=days,
        link=mail.link("auth.accept_invitation", token=raw),
    ))
    return InviteOutcome(invitation=invitation)


def invitation_for_token(token: str) -> Invitation | None:
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == hash_token(token)))
    if invitation is None or not invitation.is_usable(utcnow()):
        return None
    return invitation


def accept_invitation(invitation: Invitation, *, name: str, password: str, locale: str,
                      user_agent: str) -> User:
    if not invitation.is_usable(utcnow()):
        raise ServiceError(_("Questo invito non è più valido."))
    user = create_user(email=invitation.email, name=name, organisation=invitation.organisation,
                       password=password, locale=locale)
    invitation.accepted_at = utcnow()
    if invitation.space is not None:
        space_services.add_member(invitation.space, user, invitation.space_role)
    sign_in(user, user_agent)
    return user


def revoke_invitation(invitation: Invitation) -> None:
    if invitation.accepted_at is None:
        invitation.revoked_at = utcnow()


def set_locale(user: User, locale: str) -> None:
    """The language the person reads the site and their emails in."""
    user.locale = locale


def set_site_role(user: User, role: str, actor: User) -> None:
    if user.id == actor.id and role != SiteRole.ADMIN.value:
        raise ServiceError(_("Non puoi togliere a te stesso il ruolo di amministratore."))
    user.site_role = role


def set_active(user: User, active: bool, actor: User) -> None:
    if user.id == actor.id and not active:
        raise ServiceError(_("Non puoi disattivare il tuo stesso account."))
    user.active = active
    if not active:
        end_all_sessions(user)


def move_to_organisation(user: User, organisation_id: int) -> None:
    if organisation_id == user.organisation_id:
        return
    new = db.session.get(Organisation, organisation_id)
    if new is None:
        raise ServiceError(_("Organizzazione non trovata."))
    db.session.execute(update(Organisation).where(Organisation.id == user.organisation_id)
                       .values(people_count=Organisation.people_count - 1))
    new.people_count = Organisation.people_count + 1
    user.organisation_id = new.id
