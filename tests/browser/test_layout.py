"""The layout on phones and on desktop, in a real browser (issue 17).

At 320 and 375 px no page is wider than the screen, the main menu opens and closes by touch
and by keyboard, the personal entries sit in the user menu, the space's sections fit in one
row; on desktop the main menu fits on one line, even for the administrator. axe-core checks
every page. One browser context per width, pages visited in a loop: the file stays quick.

COP_LAYOUT_SHOTS=/some/folder saves a PNG of every page visited (to look at the layout).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser.conftest import TIMEOUT_MS, _record_csp_violation
from tests.browser.helpers import check_a11y, sign_in, visit
from tests.meetings.helpers import Meetings
from tests.notifications.helpers import new_thread, thread_url

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect

SHOTS = os.environ.get("COP_LAYOUT_SHOTS")
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# Words of table cells cut across two lines ("Spa|zio", "20|26"): a word whose range has
# more than one line box. A table keeps its words whole and scrolls in its box instead.
BROKEN_WORDS = r"""() => {
  const broken = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.visually-hidden')) continue;
      for (const match of node.textContent.matchAll(/[^\s\-\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""
# A legend that wraps (a long question on a phone) reads as one text: its lines no further
# apart than twice the font size (Bootstrap Italia's 39px line height put them a field apart).
LOOSE_LEGENDS = r"""() => [...document.querySelectorAll('main legend')].filter(legend => {
  const range = document.createRange();
  range.selectNodeContents(legend);
  const tops = [...new Set([...range.getClientRects()].filter(r => r.width > 0)
                           .map(r => Math.round(r.top)))].sort((a, b) => a - b);
  const most = 2 * parseFloat(getComputedStyle(legend).fontSize);
  return tops.some((top, i) => i > 0 && top - tops[i - 1] > most);
}).map(legend => legend.textContent.trim())"""

# A form field in a table (the register's presence and organisation) is not squeezed by the
# table into a stub: a select shows its chosen option whole, a text box is at least 10rem wide.
SQUEEZED_FIELDS = r"""() => {
  const context = document.createElement('canvas').getContext('2d');
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
  const squeezed = [];
  const fields = 'main td select, main td input[type=text], main td input:not([type])';
  for (const field of document.querySelectorAll(fields)) {
    const style = getComputedStyle(field);
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    if (field.tagName === 'SELECT') {
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const shown = field.selectedOptions[0] ? field.selectedOptions[0].text : '';
      if (context.measureText(shown).width > field.clientWidth - padding + 1) {
        squeezed.push(`${field.id}: ${shown}`);
      }
    } else if (field.clientWidth < 10 * rem) {
      squeezed.push(`${field.id}: ${field.clientWidth}px`);
    }
  }
  return squeezed;
}"""


def _touch_page(browser, live_server, width: int):
    context = browser.new_context(base_url=live_server, locale="it-IT", has_touch=True,
                                  is_mobile=True, viewport={"width": width, "height": 740})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.csp_violations, page.js_errors = [], []
    page.on("console", lambda message: _record_csp_violation(page, message))
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return context, page


def _fits(page, label: str, width: int) -> None:
    """No sideways scrolling. A mobile browser widens its layout viewport to a wider page
    (and zooms out), so innerWidth alone is not enough: compare with the screen's width too."""
    scroll_width, inner_width = page.evaluate(OVERFLOW)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{label}.png"), full_page=True)
    assert scroll_width <= inner_width == width, (
        f"{page.url} at {width} px is {scroll_width} px wide: it scrolls sideways")
    broken = page.evaluate(BROKEN_WORDS)
    assert not broken, f"{page.url} at {width} px cuts words of its tables in two: {broken[:8]}"
    loose = page.evaluate(LOOSE_LEGENDS)
    assert not loose, f"{page.url} at {width} px spaces out the lines of its legends: {loose[:4]}"
    squeezed = page.evaluate(SQUEEZED_FIELDS)
    assert not squeezed, f"{page.url} at {width} px squeezes the fields of a table: {squeezed[:4]}"


def _pages(app, world):
    thread_id, _ = new_thread(app, world.reserved, world.coordinator)
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                    title="Tavolo di giugno")
    past_id = Meetings(app).past(world.reserved.slug, world.coordinator.id,
                                 title="Tavolo di maggio", invite_members=True)
    return [("space", f"/spazi/{world.reserved.slug}/"),
            ("thread", thread_url(world.reserved, thread_id)),
            ("library", "/pratiche/"),
            ("directory", "/rubrica/"),
            ("skills map", "/rubrica/mappa"),
            ("spaces", "/spazi/"),
            ("members", f"/spazi/{world.reserved.slug}/membri"),
            ("organisations", "/organizzazioni/"),
            ("my actions", "/azioni/"),
            ("notifications", "/notifiche/"),
            ("notification preferences", "/notifiche/preferenze"),
            ("meeting", f"/incontri/{meeting_id}"),
            ("register", f"/incontri/{past_id}/presenze")]


def _menu(page):
    return page.get_by_role("navigation", name="Navigazione principale")


def test_phones_no_sideways_scroll_and_the_menus_work(browser, live_server, app, world):
    pages = _pages(app, world)
    for width in (320, 375):
        context, page = _touch_page(browser, live_server, width)
        try:
            visit(page, "/")
            _fits(page, f"{width}-home-signed-out", width)
            visit(page, "/accessibilita")
            _fits(page, f"{width}-accessibility", width)
            sign_in(page, world.coordinator.email, world.coordinator.password)
            _fits(page, f"{width}-home", width)
            for label, path in pages:
                visit(page, path)
                _fits(page, f"{width}-{label}", width)

            # the main menu: hidden behind its toggler, opened and closed by touch
            toggler = _menu(page).get_by_role("button", name="Mostra il menu")
            links = _menu(page).get_by_role("link", name="Organizzazioni")
            expect(links).to_be_hidden()
            box = toggler.bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, box
            close = _menu(page).get_by_role("button", name="Chiudi il menu")
            toggler.tap()
            expect(links).to_be_visible()
            expect(toggler).to_have_attribute("aria-expanded", "true")
            expect(close).to_be_focused()  # the panel has slid in and holds the focus
            check_a11y(page)
            _fits(page, f"{width}-menu-open", width)
            close.tap()
            expect(links).to_be_hidden()
            expect(toggler).to_have_attribute("aria-expanded", "false")
            expect(toggler).to_be_focused()

            # and by keyboard: Enter opens, Escape closes and gives the focus back
            page.keyboard.press("Enter")
            expect(links).to_be_visible()
            expect(close).to_be_focused()
            page.keyboard.press("Escape")
            expect(links).to_be_hidden()
            expect(toggler).to_be_focused()
            page.keyboard.press("Enter")
            expect(close).to_be_focused()
            page.keyboard.press("Enter")  # on the close button
            expect(links).to_be_hidden()
            expect(toggler).to_be_focused()

            # the slim bar: language and bell tappable, the personal entries in the user menu
            for target in (page.get_by_role("button", name=re.compile(r"^EN")),
                           page.get_by_role("link", name=re.compile(r"^Notifiche"))):
                box = target.bounding_box()
                assert box and box["width"] >= 44 and box["height"] >= 44, box
                assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
            user_menu = page.get_by_role("button", name=re.compile(world.coordinator.name))
            sign_out = page.get_by_role("button", name="Esci", exact=True)
            expect(sign_out).to_be_hidden()
            user_menu.tap()
            expect(sign_out).to_be_visible()
            expect(page.get_by_role("link", name="Invita una persona")).to_be_visible()
            check_a11y(page)
            page.keyboard.press("Escape")
            expect(sign_out).to_be_hidden()

            # the space's sections: one row that scrolls, the current one marked
            visit(page, pages[0][1])
            sections = page.get_by_role("navigation", name="Sezioni dello spazio")
            current = sections.get_by_role("link", name="Panoramica")
            expect(current).to_have_attribute("aria-current", "page")
            tops = sections.get_by_role("link").evaluate_all(
                "links => new Set(links.map(a => Math.round(a.getBoundingClientRect().top))).size")
            assert tops == 1, f"the space's sections take {tops} rows at {width} px"
            last = sections.get_by_role("link", name="Modifica")
            last.focus()  # reachable by keyboard, scrolled into view when focused
            expect(last).to_be_in_viewport()
            _fits(page, f"{width}-space-sections-scrolled", width)

            # the directory's tabs scroll too: the one shown is brought into view (at 320 px
            # it is a few pixels wider than the strip, hence not quite all of it)
            visit(page, "/rubrica/mappa")
            tabs = page.get_by_role("navigation", name="Sezioni della rubrica")
            expect(tabs.get_by_role("link", name="Mappa delle competenze")).to_be_in_viewport(
                ratio=0.9)
        finally:
            context.close()


def test_on_a_phone_the_library_shows_its_results_first_and_folds_the_filters(
        browser, live_server, world, page):
    context, phone = _touch_page(browser, live_server, 375)
    try:
        sign_in(phone, world.member.email, world.member.password)
        visit(phone, "/pratiche/")
        filters = phone.locator("details.cop-facets-box")
        expect(filters).not_to_have_attribute("open", "")
        expect(phone.get_by_role("button", name="Applica i filtri")).to_be_hidden()
        # the results begin right below the search form and the folded filters' heading
        summary = phone.locator("details.cop-facets-box > summary").bounding_box()
        results = phone.locator("#results-title").bounding_box()
        assert 0 <= results["y"] - (summary["y"] + summary["height"]) < 60, (summary, results)
        phone.locator("details.cop-facets-box > summary").tap()
        expect(phone.get_by_role("button", name="Applica i filtri")).to_be_visible()
        check_a11y(phone)
    finally:
        context.close()
    # on a desktop they stay open beside the results
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, world.member.email, world.member.password)
    visit(page, "/pratiche/")
    expect(page.get_by_role("button", name="Applica i filtri")).to_be_visible()


def test_desktop_menu_fits_on_one_line_and_groups_the_personal_entries(page, world):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, world.admin.email, world.admin.password)
    _fits(page, "1280-home-admin", 1280)
    items = _menu(page).locator(".navbar-nav > .nav-item")
    tops = items.evaluate_all(
        "items => new Set(items.map(i => Math.round(i.getBoundingClientRect().top))).size")
    assert tops == 1, f"the main menu takes {tops} lines on desktop"
    expect(_menu(page).get_by_role("button", name="Mostra il menu")).to_be_hidden()
    expect(_menu(page).get_by_role("link", name="Organizzazioni")).to_be_visible()

    user_menu = page.get_by_role("button", name=re.compile(world.admin.name))
    user_menu.click()
    for name in ("Il tuo profilo", "Preferenze", "Invita una persona", "Amministrazione"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Esci", exact=True)).to_be_visible()
    check_a11y(page)
    _fits(page, "1280-user-menu", 1280)
    page.get_by_role("link", name="Amministrazione", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amministrazione")
    check_a11y(page)


    # on desktop the regional dashboard's tables fit their columns: none scrolls sideways
    visit(page, "/cruscotto/")
    _fits(page, "1280-regional-dashboard", 1280)
    scrolling = page.locator("main .table-responsive").evaluate_all(
        "boxes => boxes.filter(b => b.scrollWidth > b.clientWidth + 1)"
        ".map(b => (b.querySelector('caption') || b).textContent.trim())")
    assert not scrolling, f"on desktop these dashboard tables scroll sideways: {scrolling}"


def test_leaving_a_changed_form_asks_first(page, world):
    sign_in(page, world.member.email, world.member.password)
    visit(page, f"/spazi/{world.reserved.slug}/discussioni/nuova")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))

    page.goto("/")  # nothing typed yet: leaves without asking
    assert dialogs == []
    visit(page, f"/spazi/{world.reserved.slug}/discussioni/nuova")
    page.locator("textarea").first.fill("Una domanda lunga che non voglio perdere.")
    with page.expect_event("dialog"):  # the question comes before the page would go
        page.get_by_role("link", name="Home").first.click(no_wait_after=True)
    expect(page).to_have_url(re.compile(r"/nuova$"))  # dismissed: still here, text kept
    assert dialogs == ["beforeunload"]
    expect(page.locator("textarea").first).to_have_value(
        "Una domanda lunga che non voglio perdere.")

    # sent back with errors: what was typed is still not saved, the warning stays
    page.get_by_role("button", name="Pubblica", exact=True).click()
    expect(page.locator("#title")).to_have_attribute("aria-invalid", "true")
    check_a11y(page)
    page.wait_for_load_state("load")  # layout.js, at the end of the page, has armed the warning
    with page.expect_event("dialog"):  # the question comes before the page would go
        page.get_by_role("link", name="Home").first.click(no_wait_after=True)
    expect(page).to_have_url(re.compile(r"/nuova$"))
    assert dialogs == ["beforeunload", "beforeunload"]


def test_the_warning_stays_armed_after_a_preview(page, world):
    """«Anteprima» sends the form and shows it again: the text is still not saved, so leaving
    asks first; sending it (another preview, or «Pubblica») does not."""
    sign_in(page, world.member.email, world.member.password)
    visit(page, f"/spazi/{world.reserved.slug}/discussioni/nuova")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.locator("#title").fill("Orari dei nidi aziendali")
    page.locator("textarea").first.fill("Ecco cosa serve:\n- una sala\n- un orario")
    page.get_by_role("button", name="Anteprima", exact=True).click()
    expect(page.locator(".cop-preview li")).to_have_count(2)
    page.wait_for_load_state("load")  # layout.js, at the end of the page, has armed the warning
    assert dialogs == []  # sending the form for a preview is not leaving it

    with page.expect_event("dialog"):  # the question comes before the page would go
        page.get_by_role("link", name="Home").first.click(no_wait_after=True)
    expect(page).to_have_url(re.compile(r"/nuova$"))  # dismissed: still here, text kept
    assert dialogs == ["beforeunload"]
    expect(page.locator("textarea").first).to_have_value(
        "Ecco cosa serve:\n- una sala\n- un orario")

    page.locator("textarea").first.fill("Ecco cosa serve:\n- una sala\n- un orario\n- un cortile")
    page.get_by_role("button", name="Anteprima", exact=True).click()
    expect(page.locator(".cop-preview li")).to_have_count(3)
    page.get_by_role("button", name="Pubblica", exact=True).click()
    expect(page.get_by_role("heading", name="Orari dei nidi aziendali")).to_be_visible()
    assert dialogs == ["beforeunload"]  # publishing asked nothing
    page.get_by_role("link", name="Home").first.click()
    expect(page).not_to_have_url(re.compile(r"/discussioni/"))
    assert dialogs == ["beforeunload"]
