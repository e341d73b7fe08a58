"""Reads of cop.oidc."""
from __future__ import annotations

from sqlalchemy import Select, select

from cop.auth.models import Invitation
from cop.database import utcnow
from cop.oidc.models import OidcIdentity


def identity(issuer: str, subject: str) -> Select:
    return select(OidcIdentity).where(OidcIdentity.issuer == issuer,
                                      OidcIdentity.subject == subject)


def identities_of(user_id: int) -> Select:
    return (select(OidcIdentity).where(OidcIdentity.user_id == user_id)
            .order_by(OidcIdentity.created_at))


def open_invitation(email: str) -> Select:
    """The newest invitation for `email` still usable (neither accepted, revoked nor expired)."""
    return (select(Invitation)
            .where(Invitation.email == email, Invitation.accepted_at.is_(None),
                   Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow())
            .order_by(Invitation.created_at.desc(), Invitation.id.desc()).limit(1))
