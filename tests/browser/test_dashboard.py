"""The dashboard in a real browser: a facilitator finds it from the space, reads the warning
at the top with what to do, the figures with their definitions and the charts with their
tables, follows a suggested action, and downloads the CSV. axe-core checks every page."""
from __future__ import annotations

import pytest

from cop.database import utcnow
from tests.browser.helpers import check_a11y, sign_in, visit
from tests.dashboard import data

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect


def test_facilitator_reads_the_dashboard_and_its_warning(page, world, factory):
    known = data.build(factory, world, now=utcnow())
    facilitator = factory.user(name="Fabio Facilitatore")
    factory.member(world.reserved, facilitator, "facilitatore")
    sign_in(page, facilitator.email, facilitator.password)
    visit(page, f"/spazi/{world.reserved.slug}/")
    page.get_by_role("link", name="Cruscotto").click()
    expect(page.get_by_role("heading", level=2, name="Cruscotto dello spazio")).to_be_visible()
    check_a11y(page)

    warnings = page.get_by_role("region", name="Da seguire")
    expect(warnings).to_contain_text("1 discussione aspetta una risposta da più di 7 giorni.")
    ask = warnings.get_by_role("link", name="Fai una domanda ai membri periferici")
    expect(ask).to_be_visible()

    members = page.locator('[data-figure="members"]')
    expect(members.locator(".cop-figure-value")).to_have_text("7")  # six, and the facilitator
    expect(members).to_contain_text("Definizione")
    levels = page.get_by_role("table",
                              name="Membri per livello di partecipazione, ultimi 90 giorni")
    expect(levels.get_by_role("row", name="Periferici")).to_contain_text("4")
    chart = page.get_by_role("img", name="Membri per livello di partecipazione, ultimi 90 giorni")
    expect(chart).to_be_visible()
    expect(page.get_by_role("img", name="Contributi per mese, ultimi 12 mesi")).to_be_visible()

    waiting = page.get_by_role("region", name="Discussioni in attesa di risposta")
    waiting.get_by_role("link", name="T4 senza risposta").click()
    expect(page).to_have_url(f"{page.url.split('/discussioni/')[0]}/discussioni/{known.t4_id}")
    page.go_back()

    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica in CSV").click()
    assert download.value.suggested_filename == f"cruscotto-{world.reserved.slug}.csv"
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert "Periferici;4;nessun contributo negli ultimi 90 giorni" in text


def test_member_does_not_see_the_dashboard(page, world):
    sign_in(page, world.member.email, world.member.password)
    visit(page, f"/spazi/{world.reserved.slug}/")
    expect(page.get_by_role("link", name="Cruscotto")).to_have_count(0)
    visit(page, f"/spazi/{world.reserved.slug}/cruscotto", status=403)
