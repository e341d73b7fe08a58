"""Which person an identity at the organisation's provider is: (issuer, subject) -> user."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.auth.models import User
from cop.database import UTCDateTime, utcnow
from cop.extensions import db


class OidcIdentity(db.Model):
    """One person's identity at one provider, linked at their first sign-in through it.

    Later sign-ins find the person by (issuer, subject) only, never by email again: the
    provider may change the email it sends, and another account may take that address."""

    __tablename__ = "oidc_identities"
    __table_args__ = (
        UniqueConstraint("issuer", "subject"),
        UniqueConstraint("issuer", "user_id"),  # one identity per person at each provider
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), default="")  # as the provider sent it last
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
