"""Value stories and the new member's checklist in a real browser: the member sees the
checklist on the home page, tells a story from a thread page (once with mistakes, kept and
explained), reads it in the space's stories by cycle, and puts the checklist away. axe-core
checks every page on the way."""
from __future__ import annotations

import re

import pytest

from tests.browser.helpers import check_a11y, sign_in, visit
from tests.stories.helpers import answer, thread

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect

TITLE = "Lo sportello ora apre anche il sabato"


def test_checklist_and_a_story_told_from_a_thread(page, world, app):
    thread_id = thread(app, world.reserved.id, world.coordinator.id)
    answer(app, thread_id, world.coordinator.id)  # a story is told of a thread with answers
    sign_in(page, world.member.email, world.member.password)
    visit(page, "/")
    checklist = page.get_by_role("region", name="I tuoi primi passi")
    expect(checklist).to_contain_text("0 di 4 fatti")
    expect(checklist.get_by_role("link", name="Aggiungi competenze")).to_have_attribute(
        "href", "/profilo/competenze")

    visit(page, f"/spazi/{world.reserved.slug}/discussioni/{thread_id}")
    page.get_by_role("link", name="Racconta cosa ti ha cambiato").click()
    expect(page.get_by_text("Sportelli aperti il sabato?")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Titolo").fill("No")
    page.get_by_role("button", name="Pubblica la storia").click()
    summary = page.locator("#form-errors")
    expect(summary).to_contain_text("Scegli uno dei cicli di valore.")
    expect(summary).to_contain_text("Il titolo va da 5 a 160 caratteri.")
    expect(page.locator("#title")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Titolo")).to_have_value("No")
    check_a11y(page)

    page.locator("label.form-check-label", has_text=re.compile("^Valore applicato")).click()
    page.get_by_label("Titolo").fill(TITLE)
    page.get_by_label("La tua storia").fill("Abbiamo spostato **due ore** al sabato.")
    page.get_by_role("button", name="Pubblica la storia").click()
    expect(page.get_by_role("heading", level=2, name=TITLE)).to_be_visible()
    expect(page.locator(".cop-story")).to_contain_text("Valore applicato")
    check_a11y(page)

    visit(page, f"/spazi/{world.reserved.slug}/storie/?ciclo=applicato")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    visit(page, f"/spazi/{world.reserved.slug}/discussioni/{thread_id}")
    expect(page.get_by_role("link", name="1 storia di valore raccontata")).to_be_visible()

    visit(page, "/")
    page.get_by_role("button", name="Nascondi la lista").click()
    expect(page.get_by_role("region", name="I tuoi primi passi")).to_have_count(0)
    check_a11y(page)
