"""What every template can use: access checks, local times, the language switch, the language
of what people wrote, links to spaces."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, get_locale, get_timezone
from flask_login import current_user
from markupsafe import Markup, escape

from cop import access, mail
from cop.i18n import current_language

LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}
# One style in both languages: day, month by name, year, 24-hour clock («7 dic 2026, 14:05»,
# "7 Dec 2026, 14:05"): Babel's named formats give "12/7/26, 2:05 PM" in English, which an
# Italian reads as 12 July. Any other pattern passes through as written.
DATE_FORMATS = {"short": "d MMM y", "medium": "d MMM y", "long": "d MMMM y",
                "full": "EEEE d MMMM y"}
DATETIME_FORMATS = {name: f"{pattern}, HH:mm" for name, pattern in DATE_FORMATS.items()}


def init_app(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["mail_link"] = mail.link
    app.jinja_env.globals["content_lang"] = content_lang
    app.jinja_env.globals["space_link"] = space_link

    @app.template_filter("local_datetime")
    def _local_datetime(value: datetime | None, fmt: str = "medium") -> str:
        fmt = DATETIME_FORMATS.get(fmt, fmt)
        return _formatted(format_datetime, value, fmt, *_reader()) if value else ""

    @app.template_filter("local_date")
    def _local_date(value: datetime | None, fmt: str = "medium") -> str:
        fmt = DATE_FORMATS.get(fmt, fmt)
        return _formatted(format_date, value, fmt, *_reader()) if value else ""

    @app.context_processor
    def _globals():
        return {
            "can": lambda action, thing=None: access.can(current_user, action, thing),
            "access": access,
            "format_decimal": format_decimal,
            "current_language": current_language(),
            "language_names": LANGUAGE_NAMES,
            "current_path": request.full_path.rstrip("?") if request else "/",
        }


def content_lang() -> Markup:
    """` lang="it"` on a container of what people wrote, when the interface is not in Italian
    (WCAG 3.1.2): the content is Italian, as far as the platform knows. A global, not a
    context variable, so imported macros have it too."""
    return Markup("") if current_language() == "it" else Markup(' lang="it"')


def space_link(space) -> Markup:
    """The space's name, linked to its home page only for whom may see it: a reserved space is
    "Pagina non trovata" for everybody outside it, and can only be joined by invitation."""
    if space is None:
        return Markup("")
    if access.can(current_user, access.VIEW, space):
        return Markup('<a href="{}">{}</a>').format(url_for("spaces.home", slug=space.slug),
                                                      space.name)
    return escape(space.name)


def _reader() -> tuple:
    # Asked at each call: emails in other languages are rendered with force_locale.
    return get_locale(), get_timezone()


@lru_cache(maxsize=16384)
def _formatted(formatter, value: datetime, fmt: str, locale, timezone) -> str:
    """Babel's formatting costs about 70 µs a call and a thread page shows 50 dates, the same
    for every reader of a language: formatted once. `locale` and `timezone` are those the
    formatter reads from the request, part of the key."""
    return formatter(value, fmt)
