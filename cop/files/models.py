"""Files attached to posts (and later meetings and practices), stored under the upload folder."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.extensions import db
from cop.files.checks import type_label
from cop.spaces.models import Space


class Attachment(db.Model):
    """One file. Its owner is any row (a post, a meeting...) named by type and id; access
    follows the owner and the space, which moves with the owner (services.move_owner_space)."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_owner", "owner_type", "owner_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    owner_type: Mapped[str] = mapped_column(String(20))  # "post", later "meeting", "practice"
    owner_id: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))  # sanitised original name
    extension: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)  # bytes
    sha256: Mapped[str] = mapped_column(String(64))
    # Relative to the upload folder; random, never derived from what the person sent.
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    space: Mapped[Space] = relationship()

    @property
    def type_label(self) -> str:
        return type_label(self.extension)

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.owner_type}:{self.owner_id} {self.filename!r}>"
