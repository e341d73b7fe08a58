"""Dates read the same way in both languages: day, month by name, year, and a 24-hour clock.

"12/7/26, 12:12 PM" is 12 July to an Italian and 7 December to an American: no format of the
local_date / local_datetime filters gives a numeric month or AM/PM.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

MOMENT = datetime(2026, 12, 7, 13, 5, tzinfo=UTC)  # 14:05 in Rome
MONTH = {"it": r"dic(embre)?", "en": r"Dec(ember)?"}
DAY = {"it": "lunedì", "en": "Monday"}


def _render(app, source: str, language: str) -> str:
    with app.test_request_context("/"), force_locale(language):
        return app.jinja_env.from_string(source).render(moment=MOMENT)


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("fmt", ["", "short", "medium", "long", "full"])
def test_every_named_format_is_day_month_name_year_and_24_hours(app, language, fmt):
    argument = f"('{fmt}')" if fmt else ""
    date = _render(app, "{{ moment|local_date" + argument + " }}", language)
    when = _render(app, "{{ moment|local_datetime" + argument + " }}", language)
    day_month_year = rf"7 {MONTH[language]}\.? 2026"
    assert re.fullmatch(rf"({DAY[language]} )?{day_month_year}", date), date
    assert re.fullmatch(rf"({DAY[language]} )?{day_month_year}, 14:05", when), when
    assert "PM" not in when and "/" not in date + when


def test_custom_patterns_are_kept(app):
    assert _render(app, "{{ moment|local_date('yyyy-MM-dd') }}", "en") == "2026-12-07"
    assert _render(app, "{{ moment|local_datetime('HH:mm') }}", "en") == "14:05"
