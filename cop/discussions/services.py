"""Writes on threads and posts. Never commits: the view does, once per request.

Counters that many requests touch (a parent's `child_count`, a thread's `post_count`) are
updated with SQL expressions, so that concurrent replies each get their own place in the tree
and none is lost; counters that a removal changes are recomputed by the same UPDATE.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from cop import access
from cop.auth.models import User
from cop.database import upsert, utcnow
from cop.discussions import events
from cop.discussions.models import (
    MAX_TREE_DEPTH,
    SORT_KEY_WIDTH,
    ModerationAction,
    Post,
    PostRevision,
    PostUseful,
    Tag,
    Thread,
    ThreadKind,
    ThreadRead,
)
from cop.errors import ServiceError
from cop.extensions import db
from cop.files import services as files
from cop.markdown import render_markdown

MAX_TAGS = 5
MENTION = re.compile(r"(?<![\w@/.])@([a-z0-9](?:[a-z0-9.]*[a-z0-9])?)")


@dataclass
class Written:
    """What a write produced, and the mentioned people who were not told (they cannot see it)."""

    thread: Thread
    post: Post | None = None
    unreachable: list[User] = field(default_factory=list)
    position: int | None = None  # the post's place in the thread's order (1: the opening),
    # when the write knows it without asking: a reply at the foot is the last one


# --- text ---------------------------------------------------------------------------------

def _mentioned_users(body: str) -> list[User]:
    handles = {h.rstrip(".") for h in MENTION.findall(body or "")}
    if not handles:
        return []
    return list(db.session.scalars(select(User).where(User.handle.in_(handles),
                                                      User.active.is_(True))))


def render_post(body: str, mentioned: list[User]) -> str:
    """Markdown to sanitised HTML, with known @mentions linked to the person's profile."""
    from flask import current_app, has_request_context, url_for

    by_handle = {u.handle: u for u in mentioned}

    def link(match: re.Match) -> str:
        user = by_handle.get(match.group(1).rstrip("."))
        if user is None:
            return match.group(0)
        return f"[@{user.handle}]({url_for('people.profile', user_id=user.id)})"

    if not has_request_context() and mentioned:  # the CLI (demo content): same paths
        with current_app.test_request_context():
            return render_markdown(MENTION.sub(link, body))
    return render_markdown(MENTION.sub(link, body))


def _split_mentions(users: list[User], thread: Thread, author: User) -> tuple[list, list]:
    reachable, unreachable = [], []
    for user in users:
        if user.id == author.id:
            continue
        (reachable if access.can(user, access.VIEW, thread) else unreachable).append(user)
    return reachable, unreachable


def _tags(names: list[str]) -> list[Tag]:
    cleaned = []
    for name in names:
        name = " ".join(name.strip().lower().lstrip("#").split())[:40]
        if name and name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > MAX_TAGS:
        raise ServiceError(_("Al massimo %(n)d etichette.", n=MAX_TAGS))
    existing = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(cleaned)))}
    tags = []
    for name in cleaned:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name)
            db.session.add(tag)
        tags.append(tag)
    return tags


def parse_tags(text: str) -> list[str]:
    return [part for part in re.split(r"[,;]", text or "") if part.strip()]


# --- threads and replies --------------------------------------------------------------------

def _attach(post: Post, space_id: int, author: User, uploads) -> None:
    stored = files.store_uploads(uploads or [], space_id=space_id, owner_type="post",
                                 owner_id=post.id, user=author)
    if stored:
        post.attachment_count = Post.attachment_count + len(stored)


def create_thread(space, author: User, *, title: str, kind: str, body: str,
                  tags: list[str] = (), uploads=()) -> Written:
    if kind not in {k.value for k in ThreadKind}:
        raise ServiceError(_("Tipo di discussione non valido."))
    now = utcnow()
    thread = Thread(space_id=space.id, author_id=author.id, title=title.strip(), kind=kind,
                    created_at=now, last_activity_at=now, last_poster_id=author.id,
                    post_count=1, reply_count=0)
    thread.tags = _tags(list(tags))
    thread.space = space
    db.session.add(thread)
    db.session.flush()
    mentioned = _mentioned_users(body)
    post = Post(thread_id=thread.id, author_id=author.id, depth=0, sort_key="", body=body,
                body_html=render_post(body, mentioned), created_at=now)
    post.thread = thread
    db.session.add(post)
    db.session.flush()
    _attach(post, space.id, author, uploads)
    mark_read(thread.id, author.id)
    reachable, unreachable = _split_mentions(mentioned, thread, author)
    events.thread_created.send(thread, post=post, mentioned=reachable)
    return Written(thread, post, unreachable)


def opening_post(thread: Thread) -> Post:
    return db.session.scalar(_OPENING, {"thread_id": thread.id})


# A reply's statements, built once: building and keying them cost more than running them.
_posts, _threads = Post.__table__, Thread.__table__
_OPENING = select(Post).where(Post.thread_id == bindparam("thread_id"), Post.depth == 0)
_NEXT_CHILD = (update(_posts).where(_posts.c.id == bindparam("parent"))
               .values(child_count=_posts.c.child_count + 1).returning(_posts.c.child_count))
_ONE_MORE_POST = (
    update(_threads).where(_threads.c.id == bindparam("thread"))
    .values(post_count=_threads.c.post_count + 1, reply_count=_threads.c.reply_count + 1,
            last_activity_at=bindparam("now", type_=_threads.c.last_activity_at.type),
            last_poster_id=bindparam("poster", type_=_threads.c.last_poster_id.type))
    .returning(_threads.c.post_count, _threads.c.reply_count))


def reply(thread: Thread, author: User, *, body: str, parent: Post | None = None,
          uploads=()) -> Written:
    opening = opening_post(thread)
    parent = parent or opening
    if parent.thread_id != thread.id:
        raise ServiceError(_("Il messaggio a cui rispondi non è in questa discussione."))
    tree_parent = parent
    if parent.depth >= MAX_TREE_DEPTH:  # deep chains continue beside their parent
        tree_parent = db.session.get(Post, parent.parent_id) or opening
    number = db.session.execute(_NEXT_CHILD, {"parent": tree_parent.id}).scalar_one()
    db.session.expire(tree_parent, ["child_count"])
    segment = str(number).zfill(SORT_KEY_WIDTH)
    now = utcnow()
    mentioned = _mentioned_users(body)
    post = Post(
        thread_id=thread.id, author_id=author.id, parent_id=tree_parent.id, reply_to_id=parent.id,
        depth=tree_parent.depth + 1, created_at=now, body=body,
        sort_key=f"{tree_parent.sort_key}.{segment}" if tree_parent.sort_key else segment,
        body_html=render_post(body, mentioned),
    )
    counters = db.session.execute(_ONE_MORE_POST, {"thread": thread.id, "now": now,
                                                   "poster": author.id}).one()
    for name, value in (("post_count", counters.post_count),
                        ("reply_count", counters.reply_count), ("last_activity_at", now),
                        ("last_poster_id", author.id)):
        set_committed_value(thread, name, value)
    post.thread = thread
    db.session.add(post)
    db.session.flush()
    _attach(post, thread.space_id, author, uploads)
    mark_read(thread.id, author.id, counters.post_count)
    reachable, unreachable = _split_mentions(mentioned, thread, author)
    events.post_created.send(post, thread=thread, mentioned=reachable)
    # Under the opening post, the new post sorts after every other (its key's first segment is
    # the highest), and the UPDATE above counted them all, holding the thread's row.
    return Written(thread, post, unreachable,
                   position=counters.post_count if tree_parent is opening else None)


def edit_post(post: Post, editor: User, *, body: str, title: str | None = None,
              kind: str | None = None, tags: list[str] | None = None, uploads=()) -> Written:
    thread = post.thread
    old_mentions = {u.id for u in _mentioned_users(post.body)}
    db.session.add(PostRevision(post_id=post.id, number=post.revision_count + 1,
                                title=thread.title if post.is_opening else "",
                                body=post.body, body_html=post.body_html,
                                edited_by_id=editor.id))
    post.revision_count = post.revision_count + 1
    post.edited_at = utcnow()
    mentioned = _mentioned_users(body)
    post.body = body
    post.body_html = render_post(body, mentioned)
    if post.is_opening:
        if kind is not None and kind not in {k.value for k in ThreadKind}:
            raise ServiceError(_("Tipo di discussione non valido."))
        thread.title = (title or thread.title).strip()
        thread.kind = kind or thread.kind
        if tags is not None:
            thread.tags = _tags(tags)
        if not thread.is_question:
            thread.answer_post_id = None
    db.session.flush()
    _attach(post, thread.space_id, editor, uploads)
    new = [u for u in mentioned if u.id not in old_mentions]
    reachable, unreachable = _split_mentions(new, thread, editor)
    events.post_edited.send(post, thread=thread, mentioned=reachable)
    if post.is_opening:
        events.thread_changed.send(thread)
    return Written(thread, post, unreachable)


def _refresh_thread(thread: Thread) -> None:
    """Replies and last activity from the visible posts, computed inside the UPDATE."""
    visible = and_(Post.thread_id == thread.id, Post.deleted_at.is_(None), Post.hidden.is_(False))
    latest = select(Post.created_at).where(visible).order_by(Post.created_at.desc()).limit(1)
    latest_author = select(Post.author_id).where(visible).order_by(
        Post.created_at.desc()).limit(1)
    db.session.execute(
        update(Thread).where(Thread.id == thread.id).values(
            reply_count=select(func.count()).where(visible, Post.depth > 0).scalar_subquery(),
            last_activity_at=func.coalesce(latest.scalar_subquery(), Thread.created_at),
            last_poster_id=latest_author.scalar_subquery(),
        ).execution_options(synchronize_session=False)
    )
    db.session.expire(thread, ["reply_count", "last_activity_at", "last_poster_id"])


def delete_post(post: Post, actor: User) -> None:
    """The text goes; a placeholder keeps the tree (and the replies to it) in place."""
    if post.is_deleted:
        raise ServiceError(_("Il messaggio è già stato eliminato."))
    thread = post.thread
    post.deleted_at = utcnow()
    if post.attachment_count:
        files.delete_owner_attachments("post", [post.id])
        post.attachment_count = 0
    if thread.answer_post_id == post.id:
        thread.answer_post_id = None
    db.session.flush()
    _refresh_thread(thread)
    events.post_removed.send(post, thread=thread)
    if actor.id != post.author_id:
        _moderation(thread, post, actor, "delete", "")


def _moderation(thread: Thread, post: Post | None, actor: User, action: str, reason: str) -> None:
    db.session.add(ModerationAction(thread_id=thread.id, post_id=post.id if post else None,
                                    action=action, reason=reason.strip(), actor_id=actor.id))
    events.moderated.send(thread, post=post, action=action, reason=reason.strip(), actor=actor)


def _need_reason(reason: str) -> str:
    if not (reason or "").strip():
        raise ServiceError(_("Scrivi il motivo: lo comunichiamo all'autore."))
    return reason.strip()


def set_pinned(thread: Thread, actor: User, pinned: bool, reason: str = "") -> None:
    thread.pinned = pinned
    _moderation(thread, None, actor, "pin" if pinned else "unpin", reason)


def set_locked(thread: Thread, actor: User, locked: bool, reason: str = "") -> None:
    thread.locked = locked
    _moderation(thread, None, actor, "lock" if locked else "unlock", reason)


def set_thread_hidden(thread: Thread, actor: User, hidden: bool, reason: str = "") -> None:
    thread.hidden = hidden
    thread.hidden_reason = _need_reason(reason) if hidden else ""
    db.session.flush()
    events.thread_changed.send(thread)
    _moderation(thread, None, actor, "hide" if hidden else "unhide", reason)


def set_post_hidden(post: Post, actor: User, hidden: bool, reason: str = "") -> None:
    if post.is_opening:
        raise ServiceError(_("Per nascondere il primo messaggio nascondi la discussione."))
    thread = post.thread
    post.hidden = hidden
    post.hidden_reason = _need_reason(reason) if hidden else ""
    if hidden and thread.answer_post_id == post.id:
        thread.answer_post_id = None
    db.session.flush()
    _refresh_thread(thread)
    (events.post_removed if hidden else events.post_restored).send(post, thread=thread)
    _moderation(thread, post, actor, "hide" if hidden else "unhide", reason)


def move_thread(thread: Thread, actor: User, target, reason: str) -> None:
    if target.id == thread.space_id:
        raise ServiceError(_("La discussione è già in questo spazio."))
    if not access.can(actor, access.MANAGE, target):
        raise ServiceError(_("Puoi spostare le discussioni solo negli spazi che gestisci."))
    reason = _need_reason(reason)
    place_thread(thread, target)
    _moderation(thread, None, actor, "move", reason)


def place_thread(thread: Thread, space, title: str | None = None) -> None:
    """Puts `thread` (and its files) in `space` and gives it `title`, for a thread that follows
    another object (a practice record's comments follow the record): no moderation, nobody
    told. Search and feeds follow through `thread_changed`."""
    changed = False
    if thread.space_id != space.id:
        thread.space_id = space.id
        thread.space = space
        files.move_owner_space("post", db.session.scalars(
            select(Post.id).where(Post.thread_id == thread.id)).all(), space.id)
        changed = True
    if title is not None and title != thread.title:
        thread.title = title
        changed = True
    if changed:
        db.session.flush()
        events.thread_changed.send(thread)


def mark_answer(thread: Thread, post: Post | None) -> None:
    if not thread.is_question:
        raise ServiceError(_("Solo una domanda ha una risposta."))
    if post is not None and (post.thread_id != thread.id or post.is_opening or post.is_deleted
                             or post.hidden):
        raise ServiceError(_("Questo messaggio non può essere la risposta."))
    thread.answer_post_id = post.id if post else None


def set_outcome(thread: Thread, actor: User, outcome: str) -> None:
    if not thread.is_proposal:
        raise ServiceError(_("Solo una proposta ha un esito."))
    thread.outcome = outcome.strip()
    thread.outcome_html = render_markdown(thread.outcome)
    thread.outcome_by_id = actor.id if thread.outcome else None
    thread.outcome_at = utcnow() if thread.outcome else None
    db.session.flush()
    events.thread_changed.send(thread)


def toggle_useful(post: Post, user: User) -> bool:
    """Adds or takes back the person's «mi è utile»; returns whether it is now set."""
    removed = db.session.execute(
        delete(PostUseful).where(PostUseful.post_id == post.id, PostUseful.user_id == user.id)
    ).rowcount
    if removed:
        post.useful_count = Post.useful_count - 1
        return False
    try:
        with db.session.begin_nested():
            db.session.add(PostUseful(post_id=post.id, user_id=user.id))
    except IntegrityError:  # a double click that got there first
        return True
    post.useful_count = Post.useful_count + 1
    return True


def mark_read(thread_id: int, user_id: int, post_count: int | None = None) -> None:
    """The person has seen every post of the thread so far (`post_count`, when the caller
    holds the thread's row: a reply just counted them)."""
    seen = post_count if post_count is not None else \
        select(Thread.post_count).where(Thread.id == thread_id).scalar_subquery()
    upsert(ThreadRead, {"user_id": user_id, "thread_id": thread_id},
           {"seen_post_count": seen, "read_at": utcnow()})


def post_of_attachment(post_id: int) -> Post | None:
    """The owner of an attachment of type "post" (for cop.access, registered by wiring)."""
    return db.session.get(Post, post_id)
