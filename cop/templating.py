"""What every template can use: access checks, local times, the language switch, the language
of what people wrote, links to spaces."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from flask import Flask, request, url_for
from flask_babel import (
    _get_current_context,  # the per-request namespace force_locale changes
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_timezone,
    get_translations,
)
from flask_login import current_user
from jinja2.ext import _make_new_gettext, _make_new_ngettext  # i18n's own new-style wrappers
from markupsafe import Markup, escape

from cop import access, mail
from cop.auth import models as auth_models
from cop.digests import models as digests_models
from cop.directory import models as directory_models
from cop.discussions import models as discussions_models
from cop.i18n import current_language
from cop.learning import models as learning_models
from cop.meetings import models as meetings_models
from cop.notifications import models as notifications_models
from cop.practices import models as practices_models
from cop.spaces import models as spaces_models
from cop.stories import models as stories_models

LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}
# One style in both languages: day, month by name, year, 24-hour clock («7 dic 2026, 14:05»,
# "7 Dec 2026, 14:05"): Babel's named formats give "12/7/26, 2:05 PM" in English, which an
# Italian reads as 12 July. Any other pattern passes through as written.
DATE_FORMATS = {"short": "d MMM y", "medium": "d MMM y", "long": "d MMMM y",
                "full": "EEEE d MMMM y"}
DATETIME_FORMATS = {name: f"{pattern}, HH:mm" for name, pattern in DATE_FORMATS.items()}

# The models' states, for templates to compare against instead of the stored strings:
# `meeting.minutes_status == MinutesStatus.REVIEW`, not `== 'in_revisione'`. Each is a
# (str, Enum) and the columns hold plain strings, so a member equals the string it stands for
# (also as a dict key). Never print a member: `{{ MinutesStatus.REVIEW }}` gives the enum's
# name; `.value` is the string. Prefixed by feature where two features share a class name.
STATE_ENUMS = {
    "SiteRole": auth_models.SiteRole,
    "DigestFrequency": digests_models.DigestFrequency,
    "DetailsVisibility": directory_models.DetailsVisibility,
    "LearningKind": directory_models.LearningKind,
    "ThreadKind": discussions_models.ThreadKind,
    "PathStatus": learning_models.PathStatus,
    "ModuleKind": learning_models.ModuleKind,
    "MeetingKind": meetings_models.Kind,
    "MeetingMode": meetings_models.Mode,
    "MeetingStatus": meetings_models.MeetingStatus,
    "MinutesStatus": meetings_models.MinutesStatus,
    "AgendaItemRole": meetings_models.ItemRole,
    "Answer": meetings_models.Answer,
    "Presence": meetings_models.Presence,
    "ActionStatus": meetings_models.ActionStatus,
    "MeetingFrequency": meetings_models.Frequency,
    "NotificationLevel": notifications_models.Level,
    "NotificationKind": notifications_models.Kind,
    "EmailFrequency": notifications_models.EmailFrequency,
    "PracticeStatus": practices_models.Status,
    "PracticeVisibility": practices_models.Visibility,
    "PracticeTarget": practices_models.Target,
    "PracticeState": practices_models.State,
    "PracticeStage": practices_models.Stage,
    "PracticeEvidence": practices_models.Evidence,
    "ReviewAction": practices_models.ReviewAction,
    "AdoptionKind": practices_models.AdoptionKind,
    "AdoptionAction": practices_models.AdoptionAction,
    "SpaceKind": spaces_models.SpaceKind,
    "SpaceVisibility": spaces_models.Visibility,
    "SpaceRole": spaces_models.SpaceRole,
    "JoinStatus": spaces_models.JoinStatus,
    "StoryCycle": stories_models.Cycle,
    "StorySubjectType": stories_models.SubjectType,
}


def init_app(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["mail_link"] = mail.link
    app.jinja_env.globals["content_lang"] = content_lang
    app.jinja_env.globals["space_link"] = space_link
    # Globals, not a context processor: imported macros (`{% from ... import %}`) and the
    # emails' overlay environment see them too.
    app.jinja_env.globals.update(STATE_ENUMS)
    app.jinja_env.install_gettext_callables(  # as Flask-Babel's, with the catalogue kept
        gettext=lambda text: catalogue().ugettext(text),
        ngettext=lambda one, many, n: catalogue().ungettext(one, many, n),
        pgettext=lambda context, text: catalogue().upgettext(context, text),
        npgettext=lambda context, one, many, n: catalogue().unpgettext(context, one, many, n),
        newstyle=True)

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
        # A page's own texts, bound to its catalogue once (macros imported without context
        # use the globals above).
        translations = catalogue()
        gettext = _make_new_gettext(translations.ugettext)
        return {
            "_": gettext, "gettext": gettext,
            "ngettext": _make_new_ngettext(translations.ungettext),
            "can": lambda action, thing=None: access.can(current_user, action, thing),
            "access": access,
            "format_decimal": format_decimal,
            "current_language": current_language(),
            "language_names": LANGUAGE_NAMES,
            "current_path": request.full_path.rstrip("?") if request else "/",
        }


def catalogue():
    """The request's catalogue, as Flask-Babel's get_translations() finds it, looked up again
    only when the locale changes (force_locale, for an email in the reader's language). Flask-
    Babel's own template callables find it anew at every text, and a page has 40 to 150."""
    context = _get_current_context()
    if context is None:
        return get_translations()
    locale = getattr(context, "babel_locale", None)
    known = getattr(context, "cop_catalogue", None)
    if known is not None and locale is not None and known[0] is locale:
        return known[1]
    translations = get_translations()
    context.cop_catalogue = (getattr(context, "babel_locale", None), translations)
    return translations


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
