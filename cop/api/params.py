"""The API's query parameters, checked: anything malformed or out of range is a 400 naming the
parameter, before any statement sees it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask import request

from cop.api.errors import bad_parameter

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
MAX_PAGE = 10_000  # 1 000 000 rows: an offset the database answers quickly
CODE = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
MAX_LENGTH = 200


def _raw(name: str) -> str | None:
    values = request.args.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise bad_parameter(name, "give it once")
    value = values[0]
    if len(value) > MAX_LENGTH or not value.isprintable():
        raise bad_parameter(name, "not a valid value")
    return value.strip()


def integer(name: str, default: int | None, low: int, high: int) -> int | None:
    value = _raw(name)
    if value is None or value == "":
        return default
    if not re.fullmatch(r"[0-9]{1,9}", value):
        raise bad_parameter(name, f"a whole number from {low} to {high}")
    number = int(value)
    if not low <= number <= high:
        raise bad_parameter(name, f"a whole number from {low} to {high}")
    return number


def day(name: str) -> date | None:
    value = _raw(name)
    if not value:
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise bad_parameter(name, "a date as YYYY-MM-DD") from None


def code(name: str) -> str | None:
    value = _raw(name)
    if not value:
        return None
    if not CODE.fullmatch(value):
        raise bad_parameter(name, "letters, digits, '_' or '-' only")
    return value


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def paging() -> Paging:
    return Paging(integer("page", 1, 1, MAX_PAGE),
                  integer("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE))


def only(*names: str) -> None:
    """Unknown parameters are refused (a typo such as `year=` for `years=` must not pass for
    an empty filter)."""
    unknown = sorted(set(request.args) - set(names))
    if unknown:
        raise bad_parameter(unknown[0][:40], "unknown parameter")
