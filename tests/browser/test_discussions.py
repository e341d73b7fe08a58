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
    reply.get_by_role("link", name=re.compile("^Rispondi")).click()  # opens under the post
    answer = reply.get_by_label("La tua risposta")
    expect(answer).to_be_focused()
    check_a11y(page)
    answer.fill("Quali associazioni, Confcommercio?")
    reply.get_by_role("button", name="Pubblica").click()
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


def test_reply_and_quote_in_place_keeping_a_draft(page, world, app):
    """«Rispondi» opens the form under the post, with focus there; what is typed survives
    leaving the page; publishing puts the reply in the tree and forgets the draft; «Cita»
    opens the same form with the post quoted (issue 17)."""
    from cop.auth.models import User
    from cop.discussions import services
    from cop.extensions import db
    from cop.spaces.models import Space

    with app.app_context():
        written = services.create_thread(
            db.session.get(Space, world.reserved.id), db.session.get(User, world.member.id),
            title="Trasporto per i centri estivi", kind="domanda",
            body="Come portate i bambini ai centri estivi?")
        answer = services.reply(written.thread, db.session.get(User, world.coordinator.id),
                                body="Noi con il **pulmino** comunale.\nE voi?",
                                parent=written.post)
        db.session.commit()
        thread_id, answer_id = written.thread.id, answer.post.id
    url = f"/spazi/{world.reserved.slug}/discussioni/{thread_id}"
    key = f"cop-reply-draft:{thread_id}:{answer_id}"
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))

    sign_in(page, world.member.email, world.member.password)
    visit(page, url)
    post = page.locator(f"#post-{answer_id}")
    toggle = post.get_by_role("link", name=re.compile("^Rispondi"))
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    form = post.locator("form.cop-inline-reply")
    body = form.get_by_label("La tua risposta")
    expect(body).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    check_a11y(page)
    body.press_sequentially("Noi con lo scuolabus")

    # Leaving asks first (the form is not sent); accepted, the text stays in the browser.
    page.get_by_role("link", name="Home").first.click()
    expect(page).not_to_have_url(re.compile(r"/discussioni/"))
    assert dialogs == ["beforeunload"]
    visit(page, url)
    expect(post.locator("form.cop-inline-reply")).to_have_count(0)
    toggle.click()
    expect(body).to_have_value("Noi con lo scuolabus")
    expect(body).to_be_focused()

    # «Annulla» closes the form, keeps the draft and gives the focus back to «Rispondi».
    form.get_by_role("button", name="Annulla").click()
    expect(form).to_have_count(0)
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.press("Enter")  # keyboard too
    expect(body).to_have_value("Noi con lo scuolabus")
    body.press_sequentially(" del Comune.")
    form.get_by_role("button", name="Pubblica").click()

    expect(page.locator(".flash-messages")).to_contain_text("Risposta pubblicata.")
    nested = page.locator("article.cop-depth-2")
    expect(nested).to_contain_text("Noi con lo scuolabus del Comune.")
    expect(page).to_have_url(re.compile(r"#post-\d+$"))
    # the thread page's script forgets the draft once it runs (it may run after the checks above)
    page.wait_for_function("(key) => window.localStorage.getItem(key) === null", arg=key)
    assert dialogs == ["beforeunload"]  # publishing asked nothing
    check_a11y(page)

    # «Cita»: the same form under the post, starting with the post quoted.
    post.get_by_role("link", name="Cita").click()
    expect(body).to_be_focused()
    expect(body).to_have_value(
        "**Coordinatrice Alleanza** ha scritto:\n> Noi con il **pulmino** comunale.\n> E voi?\n\n")
    # Another «Rispondi» moves the form: one at a time.
    opening = page.locator("article.cop-depth-0")
    opening.get_by_role("link", name=re.compile("^Rispondi")).click()
    expect(page.locator("form.cop-inline-reply")).to_have_count(1)
    expect(opening.locator("form.cop-inline-reply textarea")).to_be_focused()
    check_a11y(page)

    # Without the in-place form, «Cita» leads to the reply page: the post above, the quote in
    # the form.
    visit(page, f"{url}/rispondi?a={answer_id}&cita={answer_id}")
    expect(page.get_by_role("region", name=re.compile("In risposta a"))).to_contain_text(
        "pulmino comunale")
    expect(page.get_by_label("La tua risposta")).to_have_value(re.compile(
        r"^\*\*Coordinatrice Alleanza\*\* ha scritto:\n> Noi con il \*\*pulmino\*\* comunale."))
