"""Rendered post cards, and the thread page's reply form, kept between requests.

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
way. Size: POST_CARD_CACHE (0 turns the cache off).
"""
from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale, get_timezone
from markupsafe import Markup

from cop import access
from cop.kept import Kept

# What a reader may do with a post, as asked by templates/discussions/_post.html.
CONTROLS = (access.VIEW, access.MARK_USEFUL, access.REPLY, access.EDIT, access.DELETE,
            access.MODERATE)


def init_app(app) -> None:
    app.extensions["discussion_parts"] = Kept(app.config["POST_CARD_CACHE"])


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
