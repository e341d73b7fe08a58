"""Rendered post cards, the thread page's reply form, and thread rows, kept between requests.

A thread page shows up to 50 posts, and drawing each card is most of the page's cost; yet a
card is the same for every reader who may do the same things with it. So a card is drawn
once and kept, keyed by everything it shows: the post's own fields (its stored HTML
included), its author and whom it answers, its attachments, what this reader may do with it
(the answers of access.PostRules), whether the reader found it useful, the thread's answer,
the space's address, the language and the time zone. A change to any of them is a new key, so
nothing is ever invalidated by hand; old keys age out of a bounded LRU, one per app process.

The CSRF token of the reader's session is the one per-reader value inside a card: it is kept
as a slot and put back at each use (cop/kept.py). The reply form at the foot of the page (two
editors, four forms) is the same for everybody who may reply to the thread, kept the same
way. A row of a thread list (a space's discussions, the regional list, the space home's panel:
up to 30 rows) is keyed the same way by what it shows, the reader's unread count included.
Size: POST_CARD_CACHE (0 turns the cache off).
"""
from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale, get_timezone
from flask_login import current_user
from markupsafe import Markup

from cop import access
from cop.kept import Kept

# What a reader may do with a post, as asked by templates/discussions/_post.html.
CONTROLS = (access.VIEW, access.MARK_USEFUL, access.REPLY, access.EDIT, access.DELETE,
            access.MODERATE)


def init_app(app) -> None:
    app.extensions["discussion_parts"] = Kept(app.config["POST_CARD_CACHE"])
    app.jinja_env.globals["kept_thread_row"] = kept_thread_row


def card_key(post, *, rules, thread, space, useful, attachments, may_resolve, reader) -> tuple:
    author, answered = post.author, post.reply_to
    return (
        post.id, post.body_html, post.created_at, post.edited_at, post.deleted_at, post.hidden,
        post.hidden_reason, post.useful_count, post.revision_count, post.depth, post.parent_id,
        post.reply_to_id,
        (author.id, author.name, author.organisation.name) if author is not None else None,
        (answered.depth, answered.author.name if answered.author is not None else None)
        if answered is not None else None,
        tuple((a.id, a.filename, a.size, a.type_label) for a in attachments.get(post.id, ())),
        tuple(rules.allows(action, post) for action in CONTROLS),
        post.id in useful, thread.id, thread.answer_post_id == post.id, thread.is_question,
        may_resolve, space.slug, reader,
    )


def renderer(*, rules, thread, space, useful, attachments, may_resolve):
    """`card(post, post_card)` for the thread page: the kept card, or the macro's, then kept."""
    cache: Kept = current_app.extensions["discussion_parts"]
    reader = (str(get_locale()), str(get_timezone()), request.script_root)
    facts = {"rules": rules, "thread": thread, "space": space, "useful": useful,
             "attachments": attachments, "may_resolve": may_resolve, "reader": reader}

    def card(post, macro) -> Markup:
        return cache.html(card_key(post, **facts), lambda: macro(post))

    return card


def reply_renderer(*, rules, thread, space, may_post: bool):
    """`reply(macro)` for the foot of the thread page: the reply form (or why one cannot reply),
    kept per thread, language and what the reader may do there."""
    cache: Kept = current_app.extensions["discussion_parts"]
    key = ("reply", str(get_locale()), request.script_root, space.slug, thread.id,
           rules.may_reply, thread.locked, may_post)
    return lambda macro: cache.html(key, macro)


def kept_thread_row(macro, thread, seen: int | None, show_space: bool = False) -> Markup:
    """`macro(thread, seen, show_space)` (discussions/_macros.html `thread_row`), kept."""
    cache: Kept = current_app.extensions["discussion_parts"]
    author, last_poster, space = thread.author, thread.last_poster, thread.space
    key = (
        "row", thread.id, thread.title, thread.kind, thread.pinned, thread.locked, thread.hidden,
        thread.answer_post_id is not None, thread.post_count, thread.reply_count,
        thread.last_activity_at, space.slug,
        (author.id, author.name) if author is not None else None,
        last_poster.name if last_poster is not None else None,
        tuple(tag.name for tag in thread.tags), seen,
        (space.name, access.can(current_user, access.VIEW, space)) if show_space else None,
        str(get_locale()), str(get_timezone()), request.script_root,
    )
    html = cache.get(key)
    if html is None:
        html = str(macro(thread, seen, show_space=show_space))
        cache.put(key, html)
    return Markup(html)
