"""Decisions in a real browser: a member opens a proposal in a thread, another member takes a
position with a reason and sees the counts, the author closes it and writes the outcome; a
community chooses its next topic with a poll of several choices. axe-core checks every page."""
from __future__ import annotations

import re

import pytest

from tests.browser.helpers import check_a11y, sign_in, visit
from tests.decisions import helpers

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect


def _choose(page, label: str) -> None:
    """Bootstrap Italia draws radios and checkboxes on their label: click it, as people do."""
    page.locator("label.form-check-label", has_text=re.compile(f"^{re.escape(label)}$")).click()
    expect(page.get_by_label(label, exact=True)).to_be_checked()


def test_a_proposal_in_a_thread_positions_counts_closing_and_outcome(page, new_page, world,
                                                                     app):
    thread_id = helpers.thread(app, world.reserved.id, world.member.id,
                               title="Il tema del comitato d'autunno")
    thread_url = f"/spazi/{world.reserved.slug}/discussioni/{thread_id}"
    sign_in(page, world.member.email, world.member.password)
    visit(page, thread_url)
    page.get_by_role("link", name="Apri una decisione o un sondaggio").click()
    check_a11y(page)
    _choose(page, "Proposta: d'accordo, mi astengo, in disaccordo o blocco, con una motivazione")
    page.get_by_label("Che cosa si decide").fill("Il tema d'autunno è la cura dei familiari")
    page.get_by_label("Spiegazione").fill("Lo chiedono **tre** Alleanze su cinque.")
    page.get_by_role("button", name="Apri la decisione").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Il tema d'autunno è la cura dei familiari")
    expect(page.locator(".flash-messages")).to_contain_text("Decisione aperta")
    check_a11y(page)

    coordinator = new_page()
    sign_in(coordinator, world.coordinator.email, world.coordinator.password)
    visit(coordinator, thread_url)
    box = coordinator.get_by_role("region", name="Decisioni e sondaggi")
    box.get_by_role("link", name="Il tema d'autunno è la cura dei familiari").click()
    check_a11y(coordinator)
    _choose(coordinator, "Blocco")
    coordinator.get_by_role("button", name="Invia la tua posizione").click()
    # A block without a reason: the error is beside the reason, the choice kept.
    expect(coordinator.locator("#reason-error")).to_contain_text("Chi blocca una proposta")
    expect(coordinator.get_by_label("Blocco", exact=True)).to_be_checked()
    check_a11y(coordinator)
    _choose(coordinator, "In disaccordo")
    coordinator.get_by_label("Motivazione").fill("Prima finiamo il lavoro agile.")
    coordinator.get_by_role("button", name="Invia la tua posizione").click()
    expect(coordinator.locator(".flash-messages")).to_contain_text("La tua posizione è registrata")
    counts = coordinator.get_by_role("region", name="Conteggi")
    expect(counts).to_contain_text("1 persona ha preso posizione.")
    expect(counts.get_by_role("row", name=re.compile("^In disaccordo"))).to_contain_text("100 %")
    reasons = coordinator.get_by_role("region", name="Posizioni e motivazioni")
    expect(reasons).to_contain_text("Coordinatrice Alleanza")
    expect(reasons).to_contain_text("Prima finiamo il lavoro agile.")
    check_a11y(coordinator)

    page.reload()
    expect(page.get_by_role("region", name="Posizioni e motivazioni")).to_contain_text(
        "Prima finiamo il lavoro agile.")
    page.get_by_role("button", name="Chiudi ora la decisione").click()
    expect(page.locator(".flash-messages")).to_contain_text("Decisione chiusa")
    page.get_by_role("textbox", name=re.compile("^Esito")).fill(
        "Rimandata: prima il lavoro agile, poi la **cura**.")
    page.get_by_role("button", name="Salva l'esito").click()
    outcome = page.get_by_role("region", name="Esito")
    expect(outcome.locator("strong")).to_have_text("cura")
    check_a11y(page)

    visit(coordinator, thread_url)
    box = coordinator.get_by_role("region", name="Decisioni e sondaggi")
    expect(box).to_contain_text("Chiusa")
    expect(box).to_contain_text("In disaccordo: 1")
    expect(box).to_contain_text("Esito scritto")


def test_a_community_chooses_its_next_topic_with_a_poll(page, new_page, world, app):
    thread_id = helpers.thread(app, world.reserved.id, world.coordinator.id,
                               title="Prossimo tema della comunità")
    sign_in(page, world.coordinator.email, world.coordinator.password)
    visit(page, f"/discussioni/{thread_id}/decisioni/nuova")
    _choose(page, "Sondaggio: una o più scelte tra le opzioni")
    page.get_by_label("Che cosa si decide").fill("Su che cosa lavoriamo da gennaio?")
    page.get_by_label("Opzioni (una per riga)").fill(
        "Caregiver e lavoro\nSmart working nelle PMI\nCongedi dei padri")
    page.locator("label[for=multiple]").click()
    page.get_by_role("button", name="Apri la decisione").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Su che cosa lavoriamo da gennaio?")

    member = new_page()
    sign_in(member, world.member.email, world.member.password)
    visit(member, page.url.replace(page.url.split("/decisioni")[0], ""))
    _choose(member, "Caregiver e lavoro")
    _choose(member, "Congedi dei padri")
    member.get_by_label("Motivazione").fill("Sono i temi dei nostri sportelli.")
    member.get_by_role("button", name="Invia la tua posizione").click()
    counts = member.get_by_role("region", name="Conteggi")
    expect(counts.get_by_role("row", name=re.compile("^Caregiver e lavoro"))).to_contain_text("1")
    expect(counts.get_by_role("row", name=re.compile("^Smart working"))).to_contain_text("0")
    expect(member.get_by_text("Hai scelto: Caregiver e lavoro, Congedi dei padri.")).to_be_visible()
    check_a11y(member)
