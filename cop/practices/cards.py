"""Record cards kept between requests, as the discussions keep their post cards and thread
rows (cop/discussions/cards.py, cop/kept.py).

A library page lists 30 records, and drawing their cards was a third of its cost; yet a card
shows only its record (title, state, area, territory, lead organisation, stage, adoptions,
summary or the words found), the reader's language and the site's address, the same for every
reader who sees it. So each is keyed by all of that and drawn once; a change is a new key,
old keys age out of a bounded LRU per app process. Size: PRACTICE_CARD_CACHE (0: none).
"""
from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale
from markupsafe import Markup

from cop.kept import Kept


def init_app(app) -> None:
    app.extensions["practice_cards"] = Kept(app.config["PRACTICE_CARD_CACHE"])
    app.jinja_env.globals["kept_practice_card"] = kept_practice_card


def card_key(p, show_status: bool, link: str | None, excerpt) -> tuple:
    return (
        p.id, p.title, p.status, p.area.label if p.area is not None else None, p.target,
        p.stage, p.adoption_count, p.summary,
        p.alleanza.name if p.alleanza is not None else None,
        p.ats.full_name if p.ats is not None else None, p.lead_name,
        (str(excerpt.title_html), str(excerpt.snippet_html)) if excerpt else None,
        show_status, link, str(get_locale()), request.script_root,
    )


def kept_practice_card(macro, p, show_status: bool = True, link: str | None = None,
                       excerpt=None) -> Markup:
    """`macro(p, show_status, link, excerpt)` (practices/_macros.html `practice_card`), kept."""
    cache: Kept = current_app.extensions["practice_cards"]
    return cache.html(card_key(p, show_status, link, excerpt),
                      lambda: macro(p, show_status=show_status, link=link, excerpt=excerpt))
