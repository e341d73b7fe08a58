"""Meeting times: entered and shown in Europe/Rome, stored in UTC.

A wall-clock time is turned into an instant with the rules of its own day, so 10:00 is 09:00
UTC in winter and 08:00 UTC in summer, and a weekly series at 10:00 stays at 10:00 across the
change. Times that do not exist (the hour skipped on the last Sunday of March) are refused;
times that happen twice (the hour repeated on the last Sunday of October) mean the first.
"""
from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ROME = ZoneInfo("Europe/Rome")


class NonexistentTime(ValueError):
    """The clocks skip this time on this day."""


def to_utc(day: date, at: time) -> datetime:
    local = datetime.combine(day, at).replace(tzinfo=ROME, fold=0)
    instant = local.astimezone(UTC)
    if instant.astimezone(ROME).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentTime(f"{day} {at} does not exist in Europe/Rome")
    return instant


def local(instant: datetime) -> datetime:
    return instant.astimezone(ROME)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def occurrence_days(first: date, frequency: str, count: int) -> list[date]:
    """The days of a series: weekly, fortnightly or monthly (same day of the month, or the
    month's last day when it is shorter)."""
    if frequency == "mensile":
        return [add_months(first, n) for n in range(count)]
    step = timedelta(weeks=2 if frequency == "quindicinale" else 1)
    return [first + step * n for n in range(count)]
