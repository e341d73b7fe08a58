"""Where a search result leads: discussions' own links here, other features add theirs with
`register_link` (from their `wiring.init_app`), keyed by document type."""
from __future__ import annotations

from collections.abc import Callable

from flask import url_for

from cop.search.queries import Hit

_LINKS: dict[str, Callable[[Hit], str]] = {
    "thread": lambda hit: url_for("discussions.thread", slug=hit.space_slug,
                                  thread_id=hit.thread_id),
    "post": lambda hit: url_for("discussions.goto_post", post_id=hit.doc_id),
}


def register_link(doc_type: str, build: Callable[[Hit], str]) -> None:
    """How a result of another feature links to its page (e.g. "practice")."""
    _LINKS[doc_type] = build


def hit_url(hit: Hit) -> str | None:
    build = _LINKS.get(hit.doc_type)
    return build(hit) if build else None
