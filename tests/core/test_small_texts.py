"""Small things that said the wrong thing: a year's error, a CSV's content type, a badge's
contrast."""
from __future__ import annotations

import colorsys
import re
from pathlib import Path

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from cop.csvfiles import csv_download
from cop.practices.forms import YearField

ROOT = Path(__file__).resolve().parents[2]


class _YearForm(FlaskForm):
    class Meta:
        csrf = False

    year = YearField("Anno")


def test_a_wrong_year_asks_for_a_year(app):
    with app.test_request_context("/"):
        for typed in ("duemila", "20x3", "1850", "12345678901234"):
            form = _YearForm(formdata=MultiDict({"year": typed}))
            assert not form.validate()
            assert [str(e) for e in form.year.errors] == ["Scrivi un anno tra il 1990 e il 2100."]
        form = _YearForm(formdata=MultiDict({"year": " 2023 "}))
        assert form.validate() and form.year.data == 2023
        assert _YearForm(formdata=MultiDict({"year": ""})).validate()


def test_a_csv_says_its_charset_once(app):
    with app.test_request_context("/"):
        response = csv_download(["a"], [["1"]], "prova.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Type"].count("charset") == 1


def test_csv_downloads_say_their_charset_once(client, world):
    client.login(world.admin.email)
    for url in ("/cruscotto.csv", "/pratiche/esporta.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8", url


def _luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_validated_badge_has_contrast():
    """"Validata" is `badge bg-info text-dark`: dark text on bootstrap-italia's grey read at
    about 2:1. The badge text is white, at least 4.5:1 on both shades of the info colour."""
    assert "PracticeStatus.VALIDATED: 'bg-info text-dark'" in (
        ROOT / "templates/practices/_macros.html").read_text()
    css = (ROOT / "static/css/cop.css").read_text()
    assert ".badge.bg-info, .badge.bg-info.text-dark { color: #fff !important; }" in css
    vendor = (ROOT / "static/vendor/bootstrap-italia/css/bootstrap-italia.min.css").read_text()
    shades = re.findall(r"\.bg-info\{background-color:hsl\((\d+),(\d+)%,([\d.]+)%\)", vendor)
    shades += re.findall(r"--bs-info: hsl\((\d+), (\d+)%, ([\d.]+)%\)", vendor)
    assert shades
    for hue, saturation, lightness in shades:
        rgb = [c * 255 for c in colorsys.hls_to_rgb(int(hue) / 360, float(lightness) / 100,
                                                     int(saturation) / 100)]
        assert 1.05 / (_luminance(rgb) + 0.05) >= 4.5
