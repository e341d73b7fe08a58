"""Every CSV the platform writes goes through here: cells that a spreadsheet would run as a
formula are neutralised (OWASP, CSV injection), and the file opens in Excel as UTF-8."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from flask import Response

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"-?\d+([.,]\d+)?")


def safe_cell(value) -> str:
    """The text of one cell; one that starts like a formula gets a leading apostrophe, which
    spreadsheets show as text. Negative numbers stay numbers."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_download(header: list[str], rows: Iterable[Iterable], filename: str) -> Response:
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 with the mark
    writer = csv.writer(out, delimiter=";")
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return Response(out.getvalue(), content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
