"""A meeting series in a real browser: the coordinator of an ATS committee that meets every
month without a rule starts a series from last month's meeting and adds the next one to it;
the next agenda opens with the approval of last month's minutes, linked, and its open action;
the series page gathers both meetings and has its printable version. axe-core checks every
page on the way."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from cop.auth.models import User
from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import Meeting
from tests.browser.helpers import check_a11y, sign_in, visit
from tests.meetings.helpers import Meetings

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect


def test_start_a_series_add_the_next_meeting_and_read_it(page, world, app):
    meetings = Meetings(app)
    last = meetings.past(world.reserved.slug, world.coordinator.id, days=30,
                         title="Comitato di novembre")
    upcoming = meetings.make(world.reserved.slug, world.coordinator.id,
                             title="Comitato di dicembre")
    with app.app_context():
        services.add_action(db.session.get(Meeting, last),
                            db.session.get(User, world.coordinator.id), "Mappare i servizi",
                            world.member.id, date.today() - timedelta(days=5))  # late
        db.session.commit()

    sign_in(page, world.coordinator.email, world.coordinator.password)
    visit(page, f"/incontri/{last}")
    page.get_by_role("link", name="Aggiungi a una serie").click()
    expect(page.get_by_role("heading", level=1, name="Aggiungi l'incontro a una serie")
           ).to_be_visible()
    check_a11y(page)
    page.get_by_label("Serie", exact=True).select_option(
        label="Una nuova serie che comincia da questo incontro")
    page.get_by_label("Titolo della nuova serie").fill("Comitato ATS Bergamo")
    page.get_by_role("button", name="Salva").click()
    expect(page.locator(".flash-messages")).to_contain_text(
        "L'incontro fa parte della serie «Comitato ATS Bergamo».")
    expect(page.get_by_role("heading", level=2, name="Comitato ATS Bergamo")).to_be_visible()
    check_a11y(page)

    visit(page, f"/incontri/{upcoming}")
    page.get_by_role("link", name="Aggiungi a una serie").click()
    page.get_by_label("Serie", exact=True).select_option(label="Comitato ATS Bergamo")
    page.get_by_role("button", name="Salva").click()
    sections = page.locator("section.cop-series-meeting")
    expect(sections).to_have_count(2)
    expect(sections.nth(0)).to_contain_text("Comitato di novembre")
    expect(sections.nth(0)).to_contain_text("Mappare i servizi")
    expect(sections.nth(1)).to_contain_text("Comitato di dicembre")
    check_a11y(page)
    series_url = page.url

    page.get_by_role("link", name="Comitato di dicembre").click()
    agenda = page.locator("ol.cop-agenda > li")
    expect(agenda.nth(0)).to_contain_text("Approvazione del verbale della riunione precedente")
    expect(agenda.nth(0)).to_contain_text("verbale in bozza")
    expect(agenda.nth(1)).to_contain_text("Mappare i servizi")
    expect(agenda.nth(1)).to_contain_text("in ritardo")
    expect(page.locator(".cop-facts").get_by_role("link", name="Comitato ATS Bergamo")
           ).to_be_visible()
    check_a11y(page)
    agenda.nth(0).get_by_role("link", name=re.compile("Comitato di novembre")).click()
    expect(page).to_have_url(re.compile(rf"/incontri/{last}#verbale$"))
    expect(page.get_by_role("heading", level=1, name="Comitato di novembre")).to_be_visible()

    page.goto(series_url)
    page.get_by_role("link", name="Versione stampabile").click()
    expect(page.get_by_role("button", name="Stampa")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Mappare i servizi")
    check_a11y(page)
