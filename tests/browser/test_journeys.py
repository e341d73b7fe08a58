"""What people do on the platform, in a real browser; axe-core checks every page on the way.

Every page a test loads is checked with `visit` (go, then check) or `check_a11y` (after a click
or a form that loads a page): no serious or critical axe violation, no Content-Security-Policy
violation, no uncaught JavaScript error.
"""
from __future__ import annotations

import re

import pytest

from tests.browser.helpers import check_a11y, sign_in, sign_out, visit

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect

NEW_PASSWORD = "Una frase lunga per la prova 7"


def _heading(page):
    return page.get_by_role("heading", level=1)


def _flash(page):
    return page.locator(".flash-messages")


def _space_sections(page):
    return page.get_by_role("navigation", name="Sezioni dello spazio")


def test_sign_in_and_out(page, world):
    visit(page, "/")
    expect(_heading(page)).to_contain_text("La comunità di pratica")
    page.get_by_role("link", name="Accedi").first.click()
    expect(page).to_have_url(re.compile(r"/accedi$"))
    check_a11y(page)

    page.get_by_role("button", name="Accedi", exact=True).click()  # empty form: errors, focused
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    check_a11y(page)

    page.locator("#email").fill(world.member.email)
    page.locator("#password").fill("non-e-la-password")
    page.get_by_role("button", name="Accedi", exact=True).click()
    expect(_flash(page)).to_contain_text("Email o password non corretti.")
    check_a11y(page)

    sign_in(page, world.member.email, world.member.password)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(_heading(page)).to_have_text(f"Buongiorno, {world.member.name}")
    expect(page.locator(".it-header-slim-wrapper")).to_contain_text(world.member.name)
    expect(page.get_by_role("link", name=world.reserved.name)).to_be_visible()

    sign_out(page)
    expect(_flash(page)).to_contain_text("Sei uscito dalla piattaforma.")
    expect(page.get_by_role("button", name="Esci")).to_have_count(0)
    visit(page, "/")
    expect(_heading(page)).to_contain_text("La comunità di pratica")


def test_switch_language(page, world, translate):
    my_spaces_en = translate("I miei spazi")  # "My spaces" once the English catalogue has it
    sign_in(page, world.member.email, world.member.password)
    nav = page.get_by_role("navigation", name=re.compile("Navigazione principale|Main navigation"))
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(nav.get_by_role("link", name="I miei spazi", exact=True)).to_be_visible()

    page.get_by_role("button", name=re.compile(r"^EN\b")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_a11y(page)
    expect(page).to_have_url(re.compile(r"/$"))  # back where the switch was pressed
    expect(page.get_by_role("button", name=re.compile(r"^EN\b"))).to_have_attribute(
        "aria-current", "true")
    expect(nav.get_by_role("link", name=my_spaces_en, exact=True)).to_be_visible()
    if my_spaces_en != "I miei spazi":
        expect(nav.get_by_role("link", name="I miei spazi", exact=True)).to_have_count(0)

    visit(page, "/spazi/")  # the choice is remembered from page to page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(_heading(page)).to_have_text(translate("Tutti gli spazi"))

    page.get_by_role("button", name=re.compile(r"^IT\b")).click()
    expect(page.locator("html")).to_have_attribute("lang", "it")
    check_a11y(page)
    expect(page).to_have_url(re.compile(r"/spazi/$"))
    expect(_heading(page)).to_have_text("Tutti gli spazi")
    expect(nav.get_by_role("link", name="I miei spazi", exact=True)).to_be_visible()


def test_switch_language_before_signing_in(page, world, translate):
    visit(page, "/accedi")
    page.get_by_role("button", name=re.compile(r"^EN\b")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_a11y(page)
    expect(page).to_have_url(re.compile(r"/accedi"))
    expect(_heading(page)).to_have_text(translate("Accedi"))
    page.get_by_role("button", name=re.compile(r"^IT\b")).click()
    expect(page.locator("html")).to_have_attribute("lang", "it")
    check_a11y(page)
    expect(_heading(page)).to_have_text("Accedi")


def test_open_a_space(page, new_page, world):
    sign_in(page, world.member.email, world.member.password)
    page.get_by_role("navigation", name="Navigazione principale").get_by_role(
        "link", name="Tutti gli spazi").click()
    expect(_heading(page)).to_have_text("Tutti gli spazi")
    check_a11y(page)
    spaces = page.get_by_role("table", name="Spazi")
    expect(spaces.get_by_role("link", name=world.regional.name)).to_be_visible()

    spaces.get_by_role("link", name=world.reserved.name, exact=True).click()
    expect(_heading(page)).to_have_text(world.reserved.name)
    check_a11y(page)
    expect(page).to_have_url(re.compile(rf"/spazi/{world.reserved.slug}/$"))
    sections = _space_sections(page)
    expect(sections.get_by_role("link", name="Panoramica")).to_be_visible()
    expect(sections.get_by_role("link", name="Membri (2)")).to_be_visible()
    expect(sections.get_by_role("link", name=re.compile("Richieste"))).to_have_count(0)
    expect(page.get_by_role("heading", name="La tua partecipazione")).to_be_visible()
    expect(page.locator("aside")).to_contain_text("Fai parte di questo spazio come Membro")
    expect(page.locator("aside")).to_contain_text(world.coordinator.name)

    sections.get_by_role("link", name="Membri (2)").click()
    expect(page.get_by_role("heading", name="Membri", level=2)).to_be_visible()
    check_a11y(page)
    members = page.get_by_role("table", name="Membri dello spazio")
    expect(members.get_by_role("link", name=world.member.name)).to_be_visible()
    expect(members.get_by_role("link", name=world.coordinator.name)).to_be_visible()

    outsider = new_page()
    sign_in(outsider, world.outsider.email, world.outsider.password)
    visit(outsider, "/spazi/")
    expect(outsider.get_by_role("link", name=world.reserved.name, exact=True)).to_have_count(0)
    visit(outsider, f"/spazi/{world.reserved.slug}/", status=404)
    expect(_heading(outsider)).to_have_text("Pagina non trovata")
    expect(outsider.get_by_text(world.reserved.name)).to_have_count(0)
    visit(outsider, f"/spazi/{world.reserved.slug}/membri", status=404)
    expect(_heading(outsider)).to_have_text("Pagina non trovata")


def test_send_and_accept_an_invitation(page, new_page, world, smtp):
    email, name = "nuova.persona@esempio.it", "Nuova Persona"
    sign_in(page, world.coordinator.email, world.coordinator.password)
    visit(page, f"/spazi/{world.reserved.slug}/")
    _space_sections(page).get_by_role("link", name="Invita").click()
    expect(_heading(page)).to_have_text("Invita una persona")
    check_a11y(page)
    expect(page.locator("#space_id")).to_have_value(str(world.reserved.id))

    page.locator("#email").fill(email)
    page.locator("#name").fill(name)
    page.locator("#organisation_id").select_option(str(world.member.organisation_id))
    page.locator("#space_id").select_option(str(world.reserved.id))
    page.locator("#space_role").select_option("membro")
    page.locator("#message").fill("Ti aspettiamo nello spazio dell'Alleanza.")
    page.get_by_role("button", name="Invia l'invito").click()
    expect(_flash(page)).to_contain_text(f"Invito inviato a {email}.")
    check_a11y(page)
    expect(page).to_have_url(re.compile(rf"/spazi/{world.reserved.slug}/membri$"))

    [message] = smtp.to(email)
    assert "Invito" in message.subject
    assert world.coordinator.name in message.body and "Ti aspettiamo" in message.body
    [link] = [url for url in smtp.links(message) if "/invito/" in url]
    assert link.startswith(page.url.split("/spazi/")[0] + "/invito/")

    invited = new_page()
    visit(invited, link)
    expect(_heading(invited)).to_have_text("Benvenuta, benvenuto")
    expect(invited.locator("main")).to_contain_text(world.reserved.name)
    expect(invited.locator("main")).to_contain_text(email)
    expect(invited.locator("#name")).to_have_value(name)
    invited.locator("#password").fill(NEW_PASSWORD)
    invited.locator("#confirm").fill(NEW_PASSWORD + " diversa")
    invited.get_by_role("button", name="Crea il mio account").click()
    expect(invited.locator("#form-errors")).to_contain_text("Le due password non coincidono.")
    check_a11y(invited)

    invited.locator("#password").fill(NEW_PASSWORD)
    invited.locator("#confirm").fill(NEW_PASSWORD)
    invited.get_by_role("button", name="Crea il mio account").click()
    expect(_heading(invited)).to_have_text(world.reserved.name)
    check_a11y(invited)
    expect(invited).to_have_url(re.compile(rf"/spazi/{world.reserved.slug}/$"))
    expect(_flash(invited)).to_contain_text("Benvenuta, benvenuto nella comunità di pratica!")
    expect(invited.locator("aside")).to_contain_text("Fai parte di questo spazio come Membro")
    expect(invited.locator(".it-header-slim-wrapper")).to_contain_text(name)

    visit(page, f"/spazi/{world.reserved.slug}/membri")
    members = page.get_by_role("table", name="Membri dello spazio")
    expect(members.get_by_role("link", name=name)).to_be_visible()
    expect(_space_sections(page).get_by_role("link", name="Membri (3)")).to_be_visible()

    visit(invited, link, status=404)  # the link works once
    expect(_heading(invited)).to_have_text("Collegamento non valido o scaduto")


def test_accept_a_join_request(page, new_page, world, smtp):
    space = world.regional
    requester = page
    sign_in(requester, world.outsider.email, world.outsider.password)
    visit(requester, f"/spazi/{space.slug}/")
    expect(_heading(requester)).to_have_text(space.name)
    requester.get_by_role("link", name="Chiedi di partecipare").click()
    expect(requester.get_by_role("heading", name="Chiedi di partecipare", level=2)).to_be_visible()
    check_a11y(requester)
    requester.get_by_label("Messaggio per i coordinatori").fill("Lavoro sullo smart working.")
    requester.get_by_role("button", name="Invia la richiesta").click()
    expect(_flash(requester)).to_contain_text("Richiesta inviata")
    check_a11y(requester)
    expect(requester.locator("aside")).to_contain_text("Hai chiesto di partecipare")

    coordinator = new_page()
    sign_in(coordinator, world.coordinator.email, world.coordinator.password)
    pending = coordinator.get_by_role("region", name="Richieste da gestire")
    expect(pending).to_contain_text(f"{space.name}: 1 richiesta")
    visit(coordinator, f"/spazi/{space.slug}/")
    _space_sections(coordinator).get_by_role("link", name="Richieste (1)").click()
    expect(coordinator.get_by_role("heading", name="Richieste di partecipazione")).to_be_visible()
    check_a11y(coordinator)
    expect(coordinator.locator("main")).to_contain_text(world.outsider.name)
    expect(coordinator.locator("main")).to_contain_text("Lavoro sullo smart working.")
    coordinator.get_by_role("button", name=f"Accetta {world.outsider.name}").click()
    expect(_flash(coordinator)).to_contain_text(f"{world.outsider.name} ora fa parte dello spazio.")
    check_a11y(coordinator)
    expect(coordinator.get_by_text("Nessuna richiesta in attesa.")).to_be_visible()
    expect(_space_sections(coordinator).get_by_role("link", name="Richieste (0)")).to_be_visible()

    assert any(space.name in m.subject for m in smtp.to(world.outsider.email))

    visit(requester, f"/spazi/{space.slug}/")
    expect(requester.locator("aside")).to_contain_text("Fai parte di questo spazio come Membro")
    _space_sections(requester).get_by_role("link", name=re.compile(r"^Membri")).click()
    check_a11y(requester)
    members = requester.get_by_role("table", name="Membri dello spazio")
    row = members.get_by_role("row").filter(has_text=world.outsider.name)
    expect(row).to_contain_text("Membro")


ADMIN_PAGES = [
    ("/admin/", "Amministrazione", "Panoramica"),
    ("/admin/persone", "Persone", "Persone"),
    ("/admin/organizzazioni", "Organizzazioni", "Organizzazioni"),
    ("/admin/spazi", "Spazi", "Spazi"),
    ("/admin/alleanze", "Alleanze locali", "Alleanze"),
    ("/admin/inviti", "Inviti", "Inviti"),
]


def test_admin_pages(page, world):
    sign_in(page, world.admin.email, world.admin.password)
    page.locator("#cop-user-menu-button").click()  # the user menu holds the admin entry
    page.get_by_role("link", name="Amministrazione", exact=True).click()
    expect(_heading(page)).to_have_text("Amministrazione")
    check_a11y(page)
    tabs = page.get_by_role("navigation", name="Sezioni di amministrazione")
    for path, title, tab in ADMIN_PAGES:
        visit(page, path)
        expect(_heading(page)).to_have_text(title)
        expect(tabs.get_by_role("link", name=tab, exact=True)).to_have_attribute(
            "aria-current", "page")

    visit(page, "/admin/persone")
    people = page.get_by_role("table", name="Persone")
    expect(people.get_by_role("link", name=world.member.name)).to_be_visible()
    visit(page, "/admin/spazi")
    expect(page.get_by_role("table", name="Spazi").get_by_role(
        "link", name=world.reserved.name, exact=True)).to_be_visible()
    visit(page, "/admin/alleanze")
    expect(page.get_by_role("table", name="Alleanze locali").get_by_role(
        "link", name="Alleanza Bergamo 1", exact=True)).to_be_visible()


def test_skip_link_is_first_and_moves_focus_to_the_content(page, world):
    visit(page, "/accedi")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Vai al contenuto principale")
    expect(skip).to_be_focused()
    box = skip.bounding_box()  # visually hidden (1px) until it has focus, then shown
    assert box["width"] > 100 and box["height"] > 20, f"skip link not shown on focus: {box}"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#contenuto$"))
    expect(page.locator("main#contenuto")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside the content: the e-mail field
    expect(page.locator("#email")).to_be_focused()

    sign_in(page, world.member.email, world.member.password)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Vai al contenuto principale")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenuto")).to_be_focused()

    visit(page, "/")  # the second skip link leads to the main menu
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    to_menu = page.get_by_role("link", name="Vai alla navigazione")
    expect(to_menu).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_role("navigation", name="Navigazione principale").get_by_role(
        "link", name="Home")).to_be_focused()
