"""Personal access tokens: a person's keys to the read API.

Only the SHA-256 of the token is stored (the token is 256 random bits: a plain hash is
enough, nothing to guess); its first characters (`prefix`) are kept to recognise it in the
list. A token opens the API while it is not revoked, not expired and its owner is active, and
only for its `scopes`.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.auth.models import User
from cop.database import UTCDateTime, utcnow
from cop.extensions import db

# What a token may read: one scope per part of the API.
SCOPES = ("spaces:read", "practices:read", "meetings:read", "dashboard:read")
PREFIX = "cop_"  # every token starts with it: secret scanners and people recognise it
PREFIX_LENGTH = len(PREFIX) + 8  # the part shown in the list


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(200))  # separated by spaces, as in OAuth
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="raise")

    @property
    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split() if s in SCOPES]

    def is_valid(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
