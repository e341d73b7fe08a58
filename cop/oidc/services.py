"""Who signs in through the identity provider: the person linked to the identity, or, at the
first sign-in, the account it is linked to now. Writes only; the view commits."""
from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _

from cop.account.services import when
from cop.auth import services as auth_services
from cop.auth.models import Invitation, User
from cop.database import utcnow
from cop.errors import ServiceError
from cop.extensions import db
from cop.oidc import queries
from cop.oidc.models import OidcIdentity
from cop.spaces import services as space_services
from cop.text import normalise_email, one_line

LINK_VERIFIED_EMAIL = "link_verified_email"
INVITATION_ONLY = "invitation_only"
FIRST_SIGN_IN_MODES = (LINK_VERIFIED_EMAIL, INVITATION_ONLY)
_MAX_CLAIM = 255


def _deactivated() -> ServiceError:
    return ServiceError(_("Il tuo account è disattivato: per riattivarlo scrivi a un "
                          "amministratore della piattaforma."))


def _ask_for_invitation() -> ServiceError:
    return ServiceError(_("Non c'è ancora un account per questa identità. La piattaforma è "
                          "riservata alle persone delle Reti Territoriali di Conciliazione: "
                          "chiedi un invito a un amministratore o al referente della tua ATS, "
                          "poi accedi di nuovo con lo stesso pulsante."))


def _text_claim(claims: Mapping, name: str) -> str:
    """A text claim on one line, as a form's field would be (cop/forms.py); "" if not text."""
    value = claims.get(name)
    return one_line(value).strip()[:_MAX_CLAIM] if isinstance(value, str) else ""


def subject_of(claims: Mapping) -> str:
    """The `sub` claim: at most 255 ASCII characters (OpenID Connect Core §2), else refused;
    never cut, which could make two people one."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not 0 < len(subject) <= _MAX_CLAIM \
            or not subject.isascii() or not subject.isprintable():
        raise ServiceError(_("Il fornitore di identità non ha indicato chi sei."))
    return subject


def verified_email(claims: Mapping, email_claim: str) -> str | None:
    """The email the provider vouches for: the configured claim, with `email_verified` true."""
    email = _text_claim(claims, email_claim)
    verified = claims.get("email_verified")
    if not email or "@" not in email or len(email) > 254 or verified not in (True, "true"):
        return None
    return normalise_email(email)


def display_name(claims: Mapping, fallback: str) -> str:
    name = _text_claim(claims, "name") or " ".join(
        part for part in (_text_claim(claims, "given_name"), _text_claim(claims, "family_name"))
        if part)
    return (name or fallback).strip()[:120]


def user_for_claims(issuer: str, claims: Mapping, *, first_sign_in: str, email_claim: str,
                    invitation: Invitation | None = None) -> User:
    """The person the provider's validated ID token (and userinfo) `claims` are about.

    A known identity (issuer, sub) gives its person. At the first sign-in: the `invitation`
    whose link the person followed is accepted (the link proves the address, as it does for a
    password; the provider's email may differ, as SPID's often does); with `first_sign_in`
    "link_verified_email", the active account with the verified email is linked; in both
    modes an open invitation for the verified email is accepted. An accepted invitation
    creates the account, without password. Anything else is refused with the reason, and
    nothing is written. A deactivated account never signs in."""
    subject = subject_of(claims)
    known = db.session.scalar(queries.identity(issuer, subject))
    if known is not None:
        if not known.user.active:
            raise _deactivated()
        known.last_used_at = utcnow()
        email = verified_email(claims, email_claim)
        if email:
            known.email = email
        return known.user
    if invitation is not None:
        return accept_invitation(invitation, issuer, subject,
                                 display_name(claims, invitation.name))

    email = verified_email(claims, email_claim)
    if email is None:
        raise ServiceError(_("Il fornitore di identità non conferma il tuo indirizzo email, "
                             "quindi non possiamo riconoscere il tuo account. Chiedi a un "
                             "amministratore di invitarti."))
    existing = auth_services.user_by_email(email)
    if existing is not None:
        if not existing.active:
            raise _deactivated()
        if first_sign_in != LINK_VERIFIED_EMAIL:
            raise ServiceError(_("Esiste già un account con il tuo indirizzo email, ma non è "
                                 "collegato a questa identità: accedi con la password e "
                                 "collegalo dal tuo profilo, o chiedi a un amministratore."))
        return link(existing, issuer, subject, email)
    invitation = db.session.scalar(queries.open_invitation(email))
    if invitation is None:
        raise _ask_for_invitation()
    return accept_invitation(invitation, issuer, subject, display_name(claims, invitation.name))


def link(user: User, issuer: str, subject: str, email: str = "") -> User:
    """Links the identity to `user`: from then on it signs in as them."""
    if db.session.scalar(queries.identity(issuer, subject)) is not None:
        raise ServiceError(_("Questa identità è già collegata a un altro account."))
    if any(i.issuer == issuer for i in db.session.scalars(queries.identities_of(user.id))):
        raise ServiceError(_("Il tuo account è già collegato a un'altra identità di questo "
                             "fornitore: chiedi a un amministratore."))
    now = utcnow()
    db.session.add(OidcIdentity(issuer=issuer, subject=subject, user_id=user.id, email=email,
                                created_at=now, last_used_at=now))
    db.session.flush()
    return user


def unlink(identity: OidcIdentity) -> None:
    """The identity no longer signs in as its person (an administrator's decision)."""
    db.session.delete(identity)
    db.session.flush()


def link_signed_in(user: User, issuer: str, claims: Mapping, email_claim: str) -> User:
    """The signed-in person links their own account from the profile: they proved both sides."""
    return link(user, issuer, subject_of(claims), verified_email(claims, email_claim) or "")


def accept_invitation(invitation: Invitation, issuer: str, subject: str, name: str) -> User:
    """The invitation accepted through the provider: the account (no password: the person
    signs in through the provider), the space it invited to, the identity linked."""
    if not invitation.is_usable(utcnow()):
        raise ServiceError(_("Questo invito non è più valido."))
    user = auth_services.create_user(
        email=invitation.email, name=name or invitation.email.split("@")[0],
        organisation=invitation.organisation)
    invitation.accepted_at = utcnow()
    if invitation.space is not None:
        space_services.add_member(invitation.space, user, invitation.space_role)
    return link(user, issuer, subject, invitation.email)


def export(user: User) -> dict:
    """The person's part of their data export: the identities linked to their account."""
    return {"identity_providers": [
        {"issuer": i.issuer, "subject": i.subject, "email": i.email,
         "linked_at": when(i.created_at), "last_used_at": when(i.last_used_at)}
        for i in db.session.scalars(queries.identities_of(user.id))]}


def linked_identities(user: User) -> list[OidcIdentity]:
    """For the profile page: the identities linked to the person's account."""
    return list(db.session.scalars(queries.identities_of(user.id)))
