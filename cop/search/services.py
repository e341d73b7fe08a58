"""Writes on the search index. Never commits: the change that caused them does.

Discussions: a thread's opening post is the document ("thread", thread id) with the thread's
title; each visible reply is ("post", post id) with the thread's title too. Deleted and hidden
posts and hidden threads are not indexed; threads of every space are (readers are filtered
when searching). Other features index their own documents with `index_document` and rebuild
them in `reindex_all` through `register_reindexer`.
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import delete, exists, insert, inspect, select, update

from cop.database import upsert
from cop.discussions.models import Post, Tag, Thread, thread_tags
from cop.extensions import db
from cop.search import ddl
from cop.search.models import SearchEntry
from cop.search.text import plain_text

THREAD = "thread"
POST = "post"
THREAD_FIELDS = {"space_id", "kind", "tags", "title"}


def _tags_text(tags: Iterable[str] | str) -> str:
    return tags if isinstance(tags, str) else "\n".join(tags)


def _entry_values(*, space_id: int, thread_id: int | None, author_id: int | None,
                  created_at: datetime, title: str, body: str, kind: str = "",
                  tags: Iterable[str] | str = ()) -> dict:
    return {
        "space_id": space_id, "thread_id": thread_id, "author_id": author_id,
        "created_at": created_at,
        "title": unicodedata.normalize("NFC", title or "")[:300],
        "body": unicodedata.normalize("NFC", body or ""),
        "kind": kind or "", "tags": _tags_text(tags),
    }


def index_document(doc_type: str, doc_id: int, *, space_id: int, author_id: int | None,
                   created_at: datetime, title: str, body: str, thread_id: int | None = None,
                   kind: str = "", tags: Iterable[str] | str = ()) -> None:
    """Adds or replaces one document. `body` is plain text (see text.plain_text/markdown_text)."""
    upsert(SearchEntry, {"doc_type": doc_type, "doc_id": doc_id},
           _entry_values(space_id=space_id, thread_id=thread_id, author_id=author_id,
                         created_at=created_at, title=title, body=body, kind=kind, tags=tags))


def document_row(doc_type: str, doc_id: int, **values) -> dict:
    """The index row `index_document` would write, for bulk loaders (synthetic data)."""
    return {"doc_type": doc_type, "doc_id": doc_id, **_entry_values(**values)}


def remove_document(doc_type: str, doc_id: int) -> None:
    db.session.execute(delete(SearchEntry).where(SearchEntry.doc_type == doc_type,
                                                 SearchEntry.doc_id == doc_id))


def update_thread(thread_id: int, **fields) -> None:
    """Changes space_id, kind, tags (a list or text) and/or title of all a thread's entries."""
    unknown = set(fields) - THREAD_FIELDS
    if unknown:
        raise TypeError(f"update_thread() cannot change {sorted(unknown)}")
    if "tags" in fields:
        fields["tags"] = _tags_text(fields["tags"])
    if "title" in fields:
        fields["title"] = unicodedata.normalize("NFC", fields["title"] or "")[:300]
    if fields:
        db.session.execute(update(SearchEntry).where(SearchEntry.thread_id == thread_id)
                           .values(**fields).execution_options(synchronize_session=False))


def remove_thread(thread_id: int) -> None:
    db.session.execute(delete(SearchEntry).where(SearchEntry.thread_id == thread_id))


def is_thread_indexed(thread_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(
        SearchEntry.doc_type == THREAD, SearchEntry.doc_id == thread_id))))


# --- discussions ----------------------------------------------------------------------------

def thread_tag_names(thread_id: int) -> list[str]:
    return list(db.session.scalars(
        select(Tag.name).join(thread_tags, thread_tags.c.tag_id == Tag.id)
        .where(thread_tags.c.thread_id == thread_id).order_by(Tag.name)))


def _tag_names(thread: Thread) -> list[str]:
    """The thread's tags as the session has them when they are loaded (with a thread's page, or
    set by the change being indexed), else read."""
    if "tags" in inspect(thread).unloaded:
        return thread_tag_names(thread.id)
    return sorted(tag.name for tag in thread.tags)


def _is_visible(post: Post) -> bool:
    return post.is_opening or (post.deleted_at is None and not post.hidden)


def _post_values(thread: Thread, post: Post, tags: Iterable[str]) -> dict:
    # A deleted opening post loses its text; the thread stays findable by its title.
    body = "" if post.deleted_at is not None else plain_text(post.body_html)
    return _entry_values(space_id=thread.space_id, thread_id=thread.id, author_id=post.author_id,
                         created_at=post.created_at, title=thread.title, body=body,
                         kind=thread.kind, tags=tags)


def _key(post: Post) -> tuple[str, int]:
    return (THREAD, post.thread_id) if post.is_opening else (POST, post.id)


def index_post(thread: Thread, post: Post, tags: Iterable[str] | None = None) -> None:
    """Indexes a thread's opening post or a reply, or takes it out if it is not visible."""
    doc_type, doc_id = _key(post)
    if thread.hidden or not _is_visible(post):
        remove_document(doc_type, doc_id)
        return
    values = _post_values(thread, post, _tag_names(thread) if tags is None else tags)
    upsert(SearchEntry, {"doc_type": doc_type, "doc_id": doc_id}, values)


def reindex_thread(thread: Thread) -> None:
    """The thread's entries from scratch: its opening post and its visible replies."""
    remove_thread(thread.id)
    if thread.hidden:
        return
    tags = thread_tag_names(thread.id)
    posts = db.session.scalars(select(Post).where(Post.thread_id == thread.id)
                               .order_by(Post.id))
    rows = [{"doc_type": _key(p)[0], "doc_id": _key(p)[1], **_post_values(thread, p, tags)}
            for p in posts if _is_visible(p)]
    if rows:
        db.session.execute(insert(SearchEntry), rows)


def reindex_discussions() -> int:
    """Every visible thread and reply, in a few statements; returns the number of entries."""
    db.session.execute(delete(SearchEntry).where(SearchEntry.doc_type.in_([THREAD, POST])))
    tags: dict[int, list[str]] = defaultdict(list)
    for thread_id, name in db.session.execute(
            select(thread_tags.c.thread_id, Tag.name).join(Tag, Tag.id == thread_tags.c.tag_id)
            .order_by(Tag.name)):
        tags[thread_id].append(name)
    count, batch = 0, []
    rows = db.session.execute(
        select(Thread, Post).join(Post, Post.thread_id == Thread.id)
        .where(Thread.hidden.is_(False)).order_by(Post.id)
        .execution_options(yield_per=500))
    for thread, post in rows:
        if not _is_visible(post):
            continue
        doc_type, doc_id = _key(post)
        batch.append({"doc_type": doc_type, "doc_id": doc_id,
                      **_post_values(thread, post, tags[thread.id])})
        if len(batch) == 500:
            count += _insert(batch)
    return count + _insert(batch)


def _insert(batch: list[dict]) -> int:
    n = len(batch)
    if batch:
        db.session.execute(insert(SearchEntry), list(batch))
        batch.clear()
    return n


_REINDEXERS: dict[str, Callable[[], int]] = {"discussions": reindex_discussions}


def register_reindexer(name: str, reindex: Callable[[], int]) -> None:
    """`reindex()` replaces all the feature's entries and returns how many it wrote."""
    _REINDEXERS[name] = reindex


def reindex_all() -> dict[str, int]:
    """Rebuilds the whole index (`flask cop reindex-search`); returns entries per feature."""
    counts = {name: reindex() for name, reindex in _REINDEXERS.items()}
    db.session.flush()
    ddl.rebuild(db.session.connection())
    return counts


def discussion_entry(thread: Thread, post: Post, tags) -> dict:
    """The index row of one post, as reindex_thread builds it (for bulk loaders)."""
    doc_type, doc_id = _key(post)
    return {"doc_type": doc_type, "doc_id": doc_id, **_post_values(thread, post, tags)}
