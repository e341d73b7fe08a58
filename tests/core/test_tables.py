"""A table never makes a page wider than a phone: every one scrolls inside its own box."""
from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).parents[2] / "templates"


def test_every_table_of_a_page_sits_in_a_scrolling_box():
    bare = []
    for path in TEMPLATES.rglob("*.html"):
        if path.name == "print.html" or path.parent.name == "email":
            continue  # printed pages and emails are not read on a phone's screen
        text = path.read_text()
        for match in re.finditer(r"<table\b", text):
            before = text[:match.start()]
            if before.rfind("table-responsive") <= before.rfind("</table>"):
                bare.append(f"{path.relative_to(TEMPLATES)}:{before.count(chr(10)) + 1}")
    assert bare == []
