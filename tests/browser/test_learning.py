"""Learning in a real browser: a coordinator adds a reading module to a path through the form
(once with a bad link), a member opens /formazione/, the path, a module, marks it done and sees
the progress move; completing the path puts it in their learning record. axe-core checks every
page on the way."""
from __future__ import annotations

import re

import pytest

from tests.browser.helpers import check_a11y, sign_in, sign_out, visit
from tests.learning.helpers import Paths

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect

TITLE = "Lavoro agile in pratica"


def _flash(page, text: str) -> None:
    expect(page.locator(".flash-messages")).to_contain_text(text)


def _choose(page, label: str) -> None:
    """Bootstrap Italia draws radios on their label: click it, as people do."""
    page.locator("label.form-check-label", has_text=re.compile(f"^{re.escape(label)}")).click()


def test_a_member_completes_a_learning_module(page, app, world):
    path_id = Paths(app).make(world.reserved.slug, world.coordinator.id, title=TITLE, modules=1,
                              handout=True)

    sign_in(page, world.coordinator.email, world.coordinator.password)
    visit(page, f"/formazione/percorsi/{path_id}")
    page.get_by_role("link", name="Aggiungi un modulo").click()
    expect(page.get_by_role("heading", level=1, name="Nuovo modulo")).to_be_visible()
    check_a11y(page)
    _choose(page, "Lettura")
    page.get_by_label("Titolo del modulo").fill("Un caso di Bergamo")
    page.get_by_label("Link", exact=True).fill("non-un-link")
    page.get_by_role("button", name="Salva il modulo").click()
    summary = page.locator("#form-errors")
    expect(summary).to_contain_text("Scrivi un indirizzo web completo")
    expect(page.locator("#url")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Titolo del modulo")).to_have_value("Un caso di Bergamo")
    check_a11y(page)
    page.get_by_label("Link", exact=True).fill("https://www.esempio.it/caso-bergamo")
    page.get_by_label("Testo della lettura").fill("Il **caso** dell'Alleanza.")
    page.get_by_role("button", name="Salva il modulo").click()
    _flash(page, "Modulo aggiunto.")
    expect(page.locator("ol.cop-modules > li")).to_have_count(2)
    check_a11y(page)
    sign_out(page)

    sign_in(page, world.member.email, world.member.password)
    page.get_by_role("link", name="Formazione", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Formazione")).to_be_visible()
    expect(page.get_by_text("0 di 2 moduli")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    bar = page.get_by_role("progressbar", name="0 di 2 moduli")
    expect(bar).to_have_attribute("value", "0")
    check_a11y(page)

    page.get_by_role("link", name=re.compile("La dispensa")).click()
    expect(page.get_by_role("heading", level=1, name="La dispensa")).to_be_visible()
    expect(page.get_by_role("link", name="Scarica dispensa.pdf")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Segna come completato").click()
    _flash(page, "Modulo segnato come completato.")
    expect(page.get_by_role("progressbar", name="1 di 2 moduli")).to_have_attribute("value", "1")
    expect(page.get_by_text("Hai completato questo modulo.")).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name=re.compile("Modulo successivo")).click()
    expect(page.get_by_role("heading", level=1, name="Un caso di Bergamo")).to_be_visible()
    expect(page.locator(".cop-prose strong", has_text="caso")).to_be_visible()
    page.get_by_role("button", name="Segna come completato").click()
    _flash(page, f"Complimenti: hai completato il percorso «{TITLE}»")
    expect(page.get_by_role("progressbar", name=re.compile("2 di 2 moduli"))).to_have_attribute(
        "value", "2")
    check_a11y(page)

    page.get_by_role("link", name="Lo trovi nel tuo percorso di formazione").click()
    expect(page.get_by_role("heading", level=1,
                            name="Il mio percorso di formazione")).to_be_visible()
    expect(page.get_by_text("percorso completato sulla piattaforma")).to_be_visible()
    check_a11y(page)
