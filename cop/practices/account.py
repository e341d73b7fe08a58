"""A person's part of the library in their data export: the records they created or saved a
version of, their steps of the workflow, their comments, the adoptions they registered.
(Deleting the account needs nothing here: the records stay, the person's rows lose their
author, and the database does that.)

What the person wrote is always given (a version's note, a review's comment, a comment, an
adoption's note); what a record is and says (its title, status, a version's content, where
others may have written too) only while the record is still visible to them."""
from __future__ import annotations

import json

from sqlalchemy import or_, select

from cop import access
from cop.account.services import when
from cop.discussions.models import Post
from cop.extensions import db
from cop.network.models import Alleanza
from cop.practices.models import (
    Practice,
    PracticeAdoption,
    PracticeAdoptionEvent,
    PracticeReview,
    PracticeVersion,
)


def export(user) -> dict:
    """The section «practices»."""
    visible = select(Practice.id).where(access.visible_practices_clause(user))
    seen = Practice.id.in_(visible)
    return {"practices": {
        "records": _records(user, seen),
        "versions": [
            {"practice_id": v.practice_id, "number": v.number, "status": v.status,
             "note": v.note, "at": when(v.created_at),
             "record": json.loads(v.data) if shown else None}
            for v, shown in db.session.execute(
                select(PracticeVersion, seen).join(Practice,
                                                   Practice.id == PracticeVersion.practice_id)
                .where(PracticeVersion.author_id == user.id)
                .order_by(PracticeVersion.practice_id, PracticeVersion.number))
        ],
        "reviews": [
            {"practice_id": r.practice_id, "practice_title": title if shown else None,
             "action": r.action, "comment": r.comment, "at": when(r.created_at)}
            for r, title, shown in db.session.execute(
                select(PracticeReview, Practice.title, seen)
                .join(Practice, Practice.id == PracticeReview.practice_id)
                .where(PracticeReview.actor_id == user.id).order_by(PracticeReview.id))
        ],
        "comments": [
            {"practice_id": practice_id, "practice_title": title if shown else None,
             "post_id": post.id, "body": post.body, "created_at": when(post.created_at),
             "edited_at": when(post.edited_at), "deleted_at": when(post.deleted_at)}
            for post, practice_id, title, shown in db.session.execute(
                select(Post, Practice.id, Practice.title, seen)
                .join(Practice, Practice.comment_thread_id == Post.thread_id)
                .where(Post.author_id == user.id).order_by(Post.id))
        ],
        "adoptions": [
            {"practice_id": a.practice_id, "practice_title": title if shown else None,
             "alleanza": alleanza, "kind": a.kind, "note": a.note, "at": when(a.created_at)}
            for a, alleanza, title, shown in db.session.execute(
                select(PracticeAdoption, Alleanza.name, Practice.title, seen)
                .join(Alleanza, Alleanza.id == PracticeAdoption.alleanza_id)
                .join(Practice, Practice.id == PracticeAdoption.practice_id)
                .where(PracticeAdoption.user_id == user.id).order_by(PracticeAdoption.id))
        ],
        "adoption_history": [
            {"practice_id": e.practice_id, "practice_title": title if shown else None,
             "alleanza": alleanza, "action": e.action, "kind": e.kind, "note": e.note,
             "at": when(e.created_at)}
            for e, alleanza, title, shown in db.session.execute(
                select(PracticeAdoptionEvent, Alleanza.name, Practice.title, seen)
                .join(Alleanza, Alleanza.id == PracticeAdoptionEvent.alleanza_id)
                .join(Practice, Practice.id == PracticeAdoptionEvent.practice_id)
                .where(PracticeAdoptionEvent.user_id == user.id)
                .order_by(PracticeAdoptionEvent.id))
        ],
    }}


def _records(user, seen) -> list[dict]:
    """The records the person created or saved a version of."""
    wrote = select(PracticeVersion.practice_id).where(PracticeVersion.author_id == user.id)
    rows = db.session.execute(
        select(Practice, seen).where(or_(Practice.created_by_id == user.id,
                                         Practice.id.in_(wrote)))
        .order_by(Practice.id)).all()
    return [{"id": p.id, "title": p.title if shown else None,
             "status": p.status if shown else None, "created_by_me": p.created_by_id == user.id,
             "created_at": when(p.created_at)}
            for p, shown in rows]
