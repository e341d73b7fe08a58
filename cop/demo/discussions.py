"""Demo discussions: what ATS referents and Alleanza leads would really talk about, written
through the same services as the pages (so counters, search and notifications follow).
The texts are in data/discussions.toml."""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from cop.auth.models import User
from cop.database import utcnow
from cop.demo.content import load
from cop.discussions import services
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.search.services import reindex_thread
from cop.spaces.models import Membership, Space

# Each thread: title, kind, tags, body and replies; a reply has a body and maybe replies.
THREADS: list[dict] = load("discussions")["threads"]


def seed_discussions(rng: random.Random) -> int:
    """Threads with replies in a few spaces; returns how many threads were written."""
    spaces = db.session.scalars(select(Space).order_by(Space.id)).all()
    by_slug = {s.slug: s for s in spaces}
    targets = [by_slug.get("ats-bergamo"), by_slug.get("smart-working-e-lavoro-agile"),
               by_slug.get("caregiver-familiari"), by_slug.get("alleanza-bergamo-1"),
               by_slug.get("alleanza-milano-2")]
    targets = [s for s in targets if s is not None]
    written = 0
    start = utcnow() - timedelta(days=40)
    for index, row in enumerate(THREADS):
        space = targets[index % len(targets)]
        people = _members(space)
        if len(people) < 3:
            continue
        author = people[index % len(people)]
        result = services.create_thread(space, author, title=row["title"], kind=row["kind"],
                                        body=row["body"], tags=row["tags"])
        _write_replies(result.thread, None, row.get("replies", []), people, rng, author)
        thread = result.thread
        _spread_in_time(thread, start + timedelta(days=index * 7), rng)
        if thread.is_question:
            first = db.session.scalar(select(Post).where(Post.thread_id == thread.id,
                                                         Post.depth == 1).order_by(Post.sort_key))
            if first is not None:
                services.mark_answer(thread, first)
        written += 1
    return written


def _members(space: Space) -> list[User]:
    return db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.space_id == space.id).order_by(User.id)).all()


def _write_replies(thread: Thread, parent: Post | None, replies, people, rng, previous: User):
    for item in replies:
        author = rng.choice([p for p in people if p.id != previous.id])
        post = services.reply(thread, author, body=item["body"], parent=parent).post
        _write_replies(thread, post, item.get("replies", []), people, rng, author)


def _spread_in_time(thread: Thread, when, rng: random.Random) -> None:
    """Demo posts written a few hours apart, starting `when`."""
    thread.created_at = when
    for post in db.session.scalars(select(Post).where(Post.thread_id == thread.id)
                                   .order_by(Post.id)):
        post.created_at = thread.last_activity_at = when
        when += timedelta(hours=rng.randint(2, 30))
    db.session.flush()
    reindex_thread(thread)  # the index keeps the dates it was given
