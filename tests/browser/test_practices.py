"""The good-practice library in a real browser: write a record, send it, validate and publish
it, find it by facet and by search, adopt it; axe-core checks every page on the way."""
from __future__ import annotations

import re

import pytest

from tests.browser.helpers import check_a11y, sign_in, visit

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect


def test_write_validate_publish_find_and_adopt(page, new_page, world, app, factory):
    sign_in(page, world.member.email, world.member.password)
    visit(page, f"/spazi/{world.reserved.slug}/")
    page.get_by_role("link", name="Nuova scheda").click()
    check_a11y(page)
    page.get_by_label("Titolo").fill("Tata condivisa per turnisti")
    page.get_by_label("Sintesi").fill("Una baby-sitter condivisa tra famiglie di turnisti.")
    page.get_by_label("Bisogno a cui risponde").fill("Orari di lavoro a turni e nidi chiusi.")
    page.locator("label[for=target-0]").click()
    page.get_by_label("Area di intervento").select_option("caregiver_familiare")
    page.get_by_label("Ente capofila").fill("Cooperativa La Tata")
    page.locator("#partners-0-name").fill("Comune di Seriate")
    page.get_by_label("Inizio").fill("2023-02-01")
    page.locator("label[for=state-0]").click()
    page.locator("label[for=stage-0]").click()
    page.get_by_label("Budget (euro)").fill("12.500,50")
    page.get_by_label("Attività").fill("- incontro tra famiglie\n- turni condivisi")
    page.locator("#indicators-0-name").fill("Famiglie coinvolte")
    page.locator("#indicators-0-value").fill("18")
    page.locator("label[for=evidence-0]").click()
    page.get_by_label("Lezioni apprese").fill("Le famiglie si fidano dei vicini.")
    page.get_by_label("Trasferibilità").fill("Serve un comune che ospiti gli incontri.")
    page.locator("label[for=visibility-1]").click()
    page.get_by_role("button", name="Salva e invia alla validazione").click()
    expect(page.get_by_text("Scheda inviata alla validazione.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Tata condivisa per turnisti")).to_be_visible()
    check_a11y(page)
    url = page.url

    referent = new_page()
    sign_in(referent, world.referent.email, world.referent.password)
    visit(referent, "/pratiche/?scheda=da_validare")
    referent.get_by_role("link", name="Tata condivisa per turnisti").click()
    check_a11y(referent)
    referent.get_by_role("button", name="Valida").click()
    expect(referent.get_by_text("Scheda validata: ora può essere pubblicata.")).to_be_visible()
    referent.get_by_role("button", name="Pubblica").click()
    expect(referent.get_by_text("Scheda pubblicata nella biblioteca.")).to_be_visible()
    check_a11y(referent)

    other = factory.space(slug="alleanza-bergamo-2")
    adopter = factory.user(name="Operatrice Seriate")
    factory.member(other, adopter)
    reader = new_page()
    sign_in(reader, adopter.email, adopter.password)
    visit(reader, "/pratiche/")
    reader.locator("label[for=f-destinatari-1]").click()
    expect(reader.get_by_label(re.compile(r"^Persone \(1\)"))).to_be_checked()
    reader.get_by_role("button", name="Applica i filtri").click()
    expect(reader.get_by_role("heading", name="1 scheda")).to_be_visible()
    check_a11y(reader)
    reader.get_by_label("Cerca nelle schede").fill("turni")
    reader.get_by_role("button", name="Cerca", exact=True).click()
    reader.get_by_role("link", name="Tata condivisa per turnisti").click()
    assert reader.url == url
    check_a11y(reader)
    reader.locator("label[for=kind-1]").click()
    reader.get_by_label("Nota").fill("L'abbiamo adattata ai turni dell'ospedale.")
    reader.get_by_role("button", name="Registra l'adozione").click()
    expect(reader.get_by_text("Adozione registrata")).to_be_visible()
    expect(reader.locator("#adozioni")).to_contain_text("ospedale")
    check_a11y(reader)
    visit(reader, "/pratiche/sovrapposizioni")
    visit(reader, "/vetrina/")
