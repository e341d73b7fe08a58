"""The record form in a real browser: «Aggiungi un partner» adds a row in the page, with the
next number, without sending the form."""
from __future__ import annotations

import pytest

from tests.browser.helpers import check_a11y, sign_in, visit

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect


def test_a_row_is_added_in_the_page(page, world):
    sign_in(page, world.member.email, world.member.password)
    visit(page, f"/spazi/{world.reserved.slug}/pratiche/nuova")
    page.get_by_label("Titolo").fill("Scritto e non perso")
    rows = page.locator('[data-rows="partners"] [data-row]')
    before = rows.count()
    page.locator(f"#partners-{before - 1}-name").fill("Ultimo partner")
    page.get_by_role("button", name="Aggiungi un partner").click()
    expect(rows).to_have_count(before + 1)
    added = page.locator(f"#partners-{before}-name")
    expect(added).to_be_focused()
    expect(added).to_have_value("")
    expect(page.get_by_label("Titolo")).to_have_value("Scritto e non perso")
    check_a11y(page)
