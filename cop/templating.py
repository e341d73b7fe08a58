"""What every template can use: access checks, local times, the language switch."""
from __future__ import annotations

from datetime import datetime

from flask import Flask, request
from flask_babel import format_date, format_datetime, format_decimal
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
        return format_datetime(value, fmt) if value else ""

    @app.template_filter("local_date")
    def _local_date(value: datetime | None, fmt: str = "medium") -> str:
        return format_date(value, fmt) if value else ""

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
