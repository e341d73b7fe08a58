"""What every template can use: access checks, local times, the language switch."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from flask import Flask, request
from flask_babel import format_date, format_datetime, format_decimal, get_locale, get_timezone
from flask_login import current_user

from cop import access, mail
from cop.i18n import current_language

LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}


def init_app(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["mail_link"] = mail.link

    @app.template_filter("local_datetime")
    def _local_datetime(value: datetime | None, fmt: str = "medium") -> str:
        return _formatted(format_datetime, value, fmt, *_reader()) if value else ""

    @app.template_filter("local_date")
    def _local_date(value: datetime | None, fmt: str = "medium") -> str:
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


def _reader() -> tuple:
    # Asked at each call: emails in other languages are rendered with force_locale.
    return get_locale(), get_timezone()


@lru_cache(maxsize=16384)
def _formatted(formatter, value: datetime, fmt: str, locale, timezone) -> str:
    """Babel's formatting costs about 70 µs a call and a thread page shows 50 dates, the same
    for every reader of a language: formatted once. `locale` and `timezone` are those the
    formatter reads from the request, part of the key."""
    return formatter(value, fmt)
