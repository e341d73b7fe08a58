"""The index follows discussions: each signal is handled inside the request's transaction.
cop.search.wiring connects these to the signals of cop.discussions.events."""
from __future__ import annotations

from cop.search import services


def on_thread_created(thread, post=None, **_):
    services.index_post(thread, post)


def on_post_changed(post, thread=None, **_):
    services.index_post(thread or post.thread, post)


def on_thread_changed(thread, **_):
    if thread.hidden:
        services.remove_thread(thread.id)
    elif services.is_thread_indexed(thread.id):
        services.update_thread(thread.id, space_id=thread.space_id, kind=thread.kind,
                               title=thread.title, tags=services.thread_tag_names(thread.id))
    else:  # visible again: its replies were kept out while it was hidden
        services.reindex_thread(thread)
