"""Reads on discussions that pages share. Lists filter in SQL with access.visible_threads_clause."""
from __future__ import annotations

import functools

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import defer, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from cop import access
from cop.auth.models import User
from cop.discussions.models import (
    Post,
    PostRevision,
    PostUseful,
    Tag,
    Thread,
    ThreadRead,
    thread_tags,
)
from cop.extensions import db
from cop.network.models import Organisation
from cop.spaces.models import Membership


def _thread_ids(user):
    return select(Thread.id).where(access.visible_threads_clause(user))


def space_thread_ids(space, user, kind: str = "", tag: str = ""):
    query = _thread_ids(user).where(Thread.space_id == space.id).order_by(
        Thread.pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc())
    return _filtered(query, kind, tag)


def latest_thread_ids(user, kind: str = "", tag: str = ""):
    """The regional «Discussioni» page: latest activity in every space the person can see."""
    query = _thread_ids(user).order_by(Thread.last_activity_at.desc(), Thread.id.desc())
    return _filtered(query, kind, tag)


@functools.cache
def _threads_with_rows():
    """Built once per process: a statement's loader options cost more to build and key at
    every request than the statement costs to run."""
    return (select(Thread).where(Thread.id.in_(bindparam("thread_ids", expanding=True)))
            .options(joinedload(Thread.space),
                     *(joinedload(person).load_only(User.id, User.name)
                       .lazyload(User.organisation)
                       for person in (Thread.author, Thread.last_poster))))


@functools.cache
def _tags_of_threads():
    return (select(thread_tags.c.thread_id, Tag).join(Tag, Tag.id == thread_tags.c.tag_id)
            .where(thread_tags.c.thread_id.in_(bindparam("thread_ids", expanding=True)))
            .order_by(Tag.name))


def load_threads(ids: list[int]) -> list[Thread]:
    """Threads with what their rows show: space, author, last poster, tags (as selectinload
    would, from a statement built once: selectinload builds its own at every request)."""
    if not ids:
        return []
    threads = db.session.scalars(_threads_with_rows(), {"thread_ids": list(ids)}).all()
    tags: dict[int, list[Tag]] = {thread.id: [] for thread in threads}
    for thread_id, tag in db.session.execute(_tags_of_threads(), {"thread_ids": list(ids)}):
        tags[thread_id].append(tag)
    for thread in threads:
        set_committed_value(thread, "tags", tags[thread.id])
    return threads


@functools.cache
def _seen_counts():
    return select(ThreadRead.thread_id, ThreadRead.seen_post_count).where(
        ThreadRead.user_id == bindparam("user_id"),
        ThreadRead.thread_id.in_(bindparam("thread_ids", expanding=True)))


def seen_counts(user, threads) -> dict[int, int]:
    """How many posts of each thread the person has seen (missing: never opened)."""
    ids = [t.id for t in threads]
    if not ids:
        return {}
    return dict(db.session.execute(_seen_counts(), {"user_id": user.id, "thread_ids": ids}).all())


def seen_posts_fact(model, reader, thread_id):
    """A `cop.facts` fact: how many posts of the thread the reader has seen (None: never
    opened it)."""
    return select(ThreadRead.seen_post_count).where(
        ThreadRead.user_id == reader.id, ThreadRead.thread_id == thread_id).scalar_subquery()


def _filtered(query, kind: str, tag: str):
    if kind:
        query = query.where(Thread.kind == kind)
    if tag:
        query = query.where(Thread.id.in_(
            select(thread_tags.c.thread_id).join(Tag, Tag.id == thread_tags.c.tag_id)
            .where(Tag.name == tag)))
    return query


@functools.cache
def thread_page() -> tuple:
    """What a thread's pages show beside it (loader options for `access.get_or_404`)."""
    # Not joinedload(Thread.tags): SQLite materialises the whole tags × thread_tags join for it
    return joinedload(Thread.author), selectinload(Thread.tags)


@functools.cache
def post_page() -> tuple:
    """What a post's pages show beside it (loader options for `access.get_or_404`)."""
    return joinedload(Post.author), joinedload(Post.thread).selectinload(Thread.tags)


def thread_posts(thread: Thread):
    """The thread's posts in tree order, with what their cards show: the author's name and
    organisation, and whom each answers. Only that: a page has up to 50 posts, and the whole
    author (organisation, its type, its ATS) and the whole answered post are ten objects a row.
    """
    author = joinedload(Post.author)
    organisation = author.joinedload(User.organisation)
    answered = joinedload(Post.reply_to)
    return (
        select(Post).where(Post.thread_id == thread.id).order_by(Post.sort_key)
        .options(
            defer(Post.body),  # the Markdown source: the page shows the stored HTML
            author.load_only(User.id, User.name, User.organisation_id),
            organisation.load_only(Organisation.id, Organisation.name),
            organisation.lazyload(Organisation.entity_type),
            organisation.lazyload(Organisation.ats),
            answered.load_only(Post.id, Post.depth, Post.author_id),
            answered.joinedload(Post.author).load_only(User.id, User.name)
            .lazyload(User.organisation),
        )
    )


def page_of(post: Post, per_page: int) -> int:
    before = db.session.scalar(select(func.count()).select_from(Post).where(
        Post.thread_id == post.thread_id, Post.sort_key < post.sort_key))
    return before // per_page + 1


def useful_post_ids(user, post_ids: list[int]) -> set[int]:
    if not post_ids:
        return set()
    return set(db.session.scalars(select(PostUseful.post_id).where(
        PostUseful.user_id == user.id, PostUseful.post_id.in_(post_ids))))


def revisions(post: Post):
    return (select(PostRevision).where(PostRevision.post_id == post.id)
            .options(joinedload(PostRevision.edited_by)).order_by(PostRevision.number.desc()))


def mentionable_people(target, user, prefix: str, limit: int = 8):
    """People whose handle or name starts with `prefix` and who may see `target` (a thread,
    or a space for a thread not yet written): the thread's participants first, then the
    space's members, then the rest of the region, each alphabetically."""
    prefix = prefix.lower().lstrip("@").replace("%", "").replace("_", "")
    is_thread = isinstance(target, Thread)
    who = (access.users_who_see_thread_clause(target) if is_thread
           else access.users_who_see_space_clause(target))
    space_id = target.space_id if is_thread else target.id
    members = select(Membership.user_id).where(Membership.space_id == space_id)
    closeness = [(User.id.in_(members), 1)]
    if is_thread:
        participants = select(Post.author_id).where(Post.thread_id == target.id,
                                                    Post.author_id.is_not(None))
        closeness.insert(0, (User.id.in_(participants), 0))
    return (
        select(User)
        .where(User.id != user.id, who,
               User.handle.like(f"{prefix}%") | func.lower(User.name).like(f"{prefix}%")
               | func.lower(User.name).like(f"% {prefix}%"))
        .order_by(case(*closeness, else_=2), User.name).limit(limit)
    )
