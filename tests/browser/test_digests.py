"""Digests in a real browser: a member picks the daily digest on the email preferences page,
the digest arrives, and its unsubscribe link, opened without signing in, asks and then turns
the digest off. axe-core checks every page on the way."""
from __future__ import annotations

import re

import pytest

from tests.browser.helpers import check_a11y, sign_in, visit
from tests.digests.helpers import digests_to, run, settings
from tests.notifications.helpers import new_thread

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect


def test_choose_daily_receive_and_unsubscribe(app, world, smtp, page, new_page):
    sign_in(page, world.member.email, world.member.password)
    visit(page, "/notifiche/preferenze")
    group = page.get_by_role("group", name="Riepilogo delle novità dei tuoi spazi")
    expect(group.get_by_label("Ogni settimana", exact=True)).to_be_checked()
    group.locator("label.form-check-label",
                  has_text=re.compile("^Ogni giorno$")).click()
    page.get_by_role("button", name="Salva").click()
    expect(page.locator(".flash-messages")).to_contain_text("Preferenze salvate.")
    check_a11y(page)
    expect(page.get_by_role("group", name="Riepilogo delle novità dei tuoi spazi")
           .get_by_label("Ogni giorno", exact=True)).to_be_checked()
    assert settings(app, world.member).frequency == "daily"

    new_thread(app, world.reserved, world.coordinator, title="Novità per il riepilogo")
    smtp.messages.clear()
    run(app)
    [mail] = digests_to(smtp, world.member)
    assert "Novità per il riepilogo" in mail.body
    [link] = [u for u in smtp.links(mail) if "/riepilogo/disiscriviti/" in u]

    anonymous = new_page()
    visit(anonymous, link.removeprefix("http://localhost"))
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(
        "Non ricevere più il riepilogo")
    anonymous.get_by_role("button", name="Non inviarmi più il riepilogo").click()
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(
        "Non riceverai più il riepilogo")
    check_a11y(anonymous)
    assert settings(app, world.member).frequency == "never"
