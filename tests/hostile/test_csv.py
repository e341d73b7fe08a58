"""No CSV the platform writes carries a formula (issue 16, item 6)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from cop.csvfiles import safe_cell
from tests.practices.helpers import Practices


@pytest.mark.parametrize("typed, written", [
    ("=HYPERLINK(\"http://evil.example\",\"clic\")", "'=HYPERLINK(\"http://evil.example\",\"clic\")"),
    ("+39 02 1234", "'+39 02 1234"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\tcella", "'\tcella"),
    ("\rcella", "'\rcella"),
    ("-12,5", "-12,5"),
    ("-3", "-3"),
    ("Nidi aziendali = più tempo", "Nidi aziendali = più tempo"),
    (None, ""),
    (42, "42"),
])
def test_a_cell_that_would_run_as_a_formula_is_written_as_text(typed, written):
    assert safe_cell(typed) == written


def test_every_csv_is_written_through_the_one_writer():
    root = Path(__file__).parents[2] / "cop"
    writers = [str(path.relative_to(root)) for path in root.rglob("*.py")
               if "csv.writer(" in path.read_text() or "csv.DictWriter(" in path.read_text()]
    # seed and scale data write no download; everything served goes through cop/csvfiles.py
    assert [w for w in writers if not w.startswith(("scale/", "demo/"))] == ["csvfiles.py"]


def test_the_library_export_neutralises_a_formula_in_a_title(app, world, client):
    Practices(app).make(world.regional.slug, world.coordinator.id, visibility="registrati",
                        title="=HYPERLINK(\"http://evil.example\";\"Apri\")",
                        summary="@SUM(1+1) per i dipendenti")
    client.login(world.member.email)
    response = client.get("/pratiche/esporta.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=HYPERLINK(\"http://evil.example\";\"Apri\")" in cells
    assert "'@SUM(1+1) per i dipendenti" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
