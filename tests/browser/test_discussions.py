"""Discussions in a real browser: open a thread, reply to a reply, mention someone and see the
notification arrive; axe-core checks every page on the way."""
from __future__ import annotations

import re

import pytest

from tests.browser.helpers import check_a11y, sign_in, visit

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect


def _handle(app, person_id):
    from cop.auth.models import User
    from cop.extensions import db

    with app.app_context():
        return db.session.get(User, person_id).handle


def test_open_a_thread_reply_to_a_reply_and_mention(page, new_page, world, app):
    sign_in(page, world.member.email, world.member.password)
    visit(page, f"/spazi/{world.reserved.slug}/")
    page.get_by_role("link", name="Nuova discussione").click()
    check_a11y(page)
    page.get_by_label("Titolo").fill("Come coinvolgere le imprese piccole?")
    page.locator("label[for=kind-0]").click()
    expect(page.get_by_label("Domanda: chiedi un parere o un'informazione")).to_be_checked()
    page.get_by_label("Etichette").fill("imprese, welfare aziendale")
    body = page.get_by_label("Testo")
    body.fill("Cerchiamo esperienze con le **PMI** del territorio. Ne parliamo con ")
    body.press_sequentially("@coord")
    option = page.get_by_role("option", name=re.compile("Coordinatrice Alleanza"))
    expect(option).to_be_visible()
    check_a11y(page)
    body.press("Enter")
    handle = _handle(app, world.coordinator.id)
    expect(body).to_have_value(re.compile(rf"@{re.escape(handle)} $"))
    page.get_by_role("button", name="Anteprima").click()
    expect(page.get_by_role("region", name="Anteprima")).to_contain_text("PMI")
    check_a11y(page)
    page.get_by_role("button", name="Pubblica").click()
    expect(page.get_by_role("heading", level=2, name="Come coinvolgere le imprese piccole?")
           ).to_be_visible()
    check_a11y(page)

    coordinator = new_page()
    sign_in(coordinator, world.coordinator.email, world.coordinator.password)
    visit(coordinator, f"/spazi/{world.reserved.slug}/discussioni/")
    coordinator.get_by_role("link", name="Come coinvolgere le imprese piccole?").click()
    check_a11y(coordinator)
    coordinator.get_by_label("La tua risposta").fill(
        "Noi partiamo dalle associazioni di categoria.")
    coordinator.get_by_role("button", name="Pubblica").click()
    expect(coordinator.locator(".flash-messages")).to_contain_text("Risposta pubblicata.")
    first_reply = coordinator.locator("article.cop-depth-1").first
    expect(first_reply).to_contain_text("associazioni di categoria")
    check_a11y(coordinator)

    page.reload()
    reply = page.locator("article.cop-depth-1").first
    reply.get_by_role("link", name=re.compile("^Rispondi")).click()
    check_a11y(page)
    expect(page.get_by_role("region", name=re.compile("In risposta a"))).to_contain_text(
        "associazioni di categoria")
    page.get_by_label("La tua risposta").fill("Quali associazioni, Confcommercio?")
    page.get_by_role("button", name="Pubblica").click()
    nested = page.locator("article.cop-depth-2")
    expect(nested).to_contain_text("Quali associazioni, Confcommercio?")
    expect(page).to_have_url(re.compile(r"#post-\d+$"))
    check_a11y(page)

    # The mentioned coordinator was told: the bell counts it, the list links to the post.
    visit(coordinator, "/")
    bell = coordinator.get_by_role("link", name=re.compile(r"^Notifiche, \d+ non lett"))
    expect(bell).to_be_visible()
    bell.click()
    check_a11y(coordinator)
    mention = coordinator.get_by_role("link", name=re.compile(
        r"ti ha menzionato in «Come coinvolgere le imprese piccole\?»"))
    expect(mention).to_be_visible()
    mention.click()
    expect(coordinator).to_have_url(re.compile(r"/discussioni/\d+(\?.*)?#post-\d+$"))
    check_a11y(coordinator)


def test_search_finds_a_thread_with_italian_stemming(page, world, app):
    from cop.auth.models import User
    from cop.discussions import services
    from cop.extensions import db
    from cop.spaces.models import Space

    with app.app_context():
        services.create_thread(db.session.get(Space, world.reserved.id),
                               db.session.get(User, world.member.id),
                               title="Servizi di conciliazione nella città", kind="esperienza",
                               body="Un racconto dello sportello per le famiglie.")
        db.session.commit()
    sign_in(page, world.member.email, world.member.password)
    page.get_by_role("link", name="Cerca", exact=True).click()
    check_a11y(page)
    search = page.get_by_role("search")
    search.get_by_label("Cerca").fill("conciliare citta")
    search.get_by_role("button", name="Cerca").click()
    result = page.get_by_role("link", name=re.compile("Servizi di conciliazione nella città"))
    expect(result).to_be_visible()
    expect(page.locator("main mark").first).to_be_visible()
    check_a11y(page)
