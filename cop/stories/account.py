"""A person's value stories in their data export, and what deleting their account does here:
their stories go with them (a story is an account of their own work, not a contribution to a
conversation others replied to)."""
from __future__ import annotations

from sqlalchemy import select

from cop import access
from cop.extensions import db
from cop.stories import services
from cop.stories.models import ValueStory


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export(user) -> dict:
    """The section «value_stories»: all the person's stories; what they were about is named
    only while still visible."""
    visible = select(ValueStory.id).where(access.visible_stories_clause(user))
    rows = db.session.execute(
        select(ValueStory, ValueStory.id.in_(visible)).where(ValueStory.author_id == user.id)
        .order_by(ValueStory.created_at, ValueStory.id)).all()
    return {"value_stories": [
        {"cycle": s.cycle, "title": s.title, "body": s.body,
         "subject_type": s.subject_type if seen else None,
         "subject_title": s.subject_title if seen else None,
         "created_at": _when(s.created_at), "updated_at": _when(s.updated_at)}
        for s, seen in rows]}


def before_deletion(user) -> None:
    services.delete_stories_of(user.id)
