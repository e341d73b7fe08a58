"""The search index: one row per searchable document (a thread's opening post, a reply, later a
good practice). The full-text structures built on it are not ORM columns: cop/search/ddl.py
creates them for each database when the table is created."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from cop.database import UTCDateTime, utcnow
from cop.extensions import db


class SearchEntry(db.Model):
    __tablename__ = "search_entries"
    __table_args__ = (
        UniqueConstraint("doc_type", "doc_id"),
        Index("ix_search_entries_thread_id", "thread_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(20))  # thread, post, practice ...
    doc_id: Mapped[int]
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")  # plain text, never HTML
    kind: Mapped[str] = mapped_column(String(20), default="")
    tags: Mapped[str] = mapped_column(Text, default="")  # one tag per line


def _install(target, connection, **kw):
    from cop.search import ddl

    ddl.install(connection)


def _uninstall(target, connection, **kw):
    from cop.search import ddl

    ddl.uninstall(connection)


# db.create_all() (the tests) builds the full-text structures too; the migration calls install().
event.listen(SearchEntry.__table__, "after_create", _install)
event.listen(SearchEntry.__table__, "after_drop", _uninstall)
