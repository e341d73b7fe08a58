"""The directory in a real browser: fill in skills, endorse a colleague, search by skill and
ATS, contact a trainer; axe-core checks every page on the way."""
from __future__ import annotations

import re

import pytest

from tests.browser.helpers import check_a11y, sign_in, sign_out, visit

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect


def _tick(page, label: str) -> None:
    """Bootstrap Italia draws checkboxes on their label: click it, as people do."""
    page.locator("label.form-check-label", has_text=re.compile(f"^{re.escape(label)}$")).click()
    expect(page.get_by_label(label, exact=True)).to_be_checked()


def test_skills_endorsement_search_and_contact(page, world, smtp):
    sign_in(page, world.member.email, world.member.password)
    visit(page, f"/persone/{world.member.id}")
    page.get_by_role("link", name="Competenze e visibilità").click()
    check_a11y(page)
    page.get_by_label("Facilitazione di gruppi e tavoli").select_option("4")
    page.get_by_label("Supporto ai caregiver familiari").select_option("3")
    page.get_by_label("Temi di cui ti occupi").fill("caregiver, sportelli")
    page.get_by_role("button", name="Salva").click()
    expect(page.locator(".flash-messages")).to_contain_text("Competenze e dettagli del profilo")
    expect(page.locator("#competenze")).to_be_visible()
    expect(page.get_by_text("livello 4, posso formare altri")).to_be_visible()
    check_a11y(page)
    visit(page, "/profilo/formatore")
    page.get_by_label("Temi su cui puoi formare o accompagnare altri").fill("facilitazione")
    _tick(page, "Online")
    _tick(page, "ATS Bergamo")
    page.get_by_role("button", name="Pubblica l'offerta").click()
    expect(page.get_by_role("heading", name="Si offre come formatore o mentore")).to_be_visible()
    check_a11y(page)
    sign_out(page)

    sign_in(page, world.outsider.email, world.outsider.password)
    visit(page, f"/persone/{world.member.id}")
    page.locator("summary", has_text="Conferma Facilitazione di gruppi e tavoli").click()
    page.get_by_label(re.compile("Ho lavorato con Membro Alleanza")).first.fill(
        "Abbiamo guidato insieme il tavolo di Dalmine.")
    page.get_by_role("button", name="Conferma Facilitazione di gruppi e tavoli").click()
    expect(page.locator(".flash-messages")).to_contain_text("Competenza confermata")
    page.locator("summary", has_text="1 conferma").click()
    expect(page.locator(".cop-person-skill").first).to_contain_text(
        "Persona Esterna: «Abbiamo guidato insieme il tavolo di Dalmine.»")
    check_a11y(page)

    page.get_by_role("link", name="Persone").click()
    check_a11y(page)
    page.get_by_text("Competenze", exact=True).click()
    _tick(page, "Facilitazione di gruppi e tavoli")
    page.get_by_label("Livello minimo").select_option("3")
    page.get_by_label("ATS", exact=True).select_option(label="ATS Bergamo")
    page.get_by_role("button", name="Cerca", exact=True).click()
    results = page.locator("#risultati + ol")
    expect(results).to_contain_text("Membro Alleanza")
    expect(results).to_contain_text("Facilitazione di gruppi e tavoli · 4 posso formare altri")
    check_a11y(page)

    page.get_by_role("link", name="Formatori e mentori").click()
    check_a11y(page)
    page.get_by_role("link", name="Contatta Membro Alleanza").click()
    check_a11y(page)
    page.get_by_label("Oggetto").fill("Un laboratorio a Treviglio")
    page.get_by_label("Messaggio").fill("Potresti aiutarci a facilitare il tavolo di giugno?")
    page.get_by_role("button", name="Invia il messaggio").click()
    expect(page.locator(".flash-messages")).to_contain_text("Messaggio inviato a Membro Alleanza")
    check_a11y(page)
    [sent] = [m for m in smtp.messages if m.subject.endswith("Un laboratorio a Treviglio")]
    assert sent.to == [world.member.email] and sent.message["Reply-To"] == world.outsider.email
    assert world.member.email not in page.content()

    visit(page, "/rubrica/mappa")
    visit(page, "/profilo/dati")
    visit(page, "/profilo/elimina")
    visit(page, "/profilo/formazione")
