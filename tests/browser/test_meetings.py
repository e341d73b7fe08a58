"""Meetings in a real browser: a coordinator plans one through the form and invites the space
and an outsider; a member answers; when the day comes the coordinator keeps the register and
writes the minutes with a decision and an action; the member approves them, the regional
administrator (not who wrote them: four eyes) publishes them, and the member closes the action
from «Le mie azioni». axe-core checks every page on the way."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from cop.database import utcnow
from cop.extensions import db
from cop.meetings.models import Meeting
from cop.meetings.times import local
from tests.browser.helpers import check_a11y, sign_in, visit

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect

TITLE = "Laboratorio sui servizi per caregiver"
FIRST_ITEM = "Benvenuto e giro di presentazioni"
SECOND_ITEM = "Tre esperienze a confronto"
DECISION = "Mappare i servizi per caregiver entro marzo"
ACTION = "Raccogliere le schede dei servizi"


def _choose(page, label: str) -> None:
    """Bootstrap Italia draws radios on their label: click it, as people do."""
    page.locator("label.form-check-label", has_text=re.compile(f"^{re.escape(label)}$")).click()
    expect(page.get_by_label(label, exact=True)).to_be_checked()


def _flash(page, text: str) -> None:
    expect(page.locator(".flash-messages")).to_contain_text(text)


def _plan_through_the_form(page, world) -> str:
    """Plans the meeting, once with the end before the start; returns the meeting's path."""
    visit(page, f"/spazi/{world.reserved.slug}/incontri/")
    page.get_by_role("link", name="Programma un incontro").click()
    expect(page.get_by_role("heading", level=1, name="Programma un incontro")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Titolo").fill(TITLE)
    page.get_by_label("Tipo di incontro").select_option(label="Laboratorio di benchlearning")
    _choose(page, "In presenza")
    page.get_by_label("Giorno (obbligatorio)", exact=True).fill("2030-12-10")
    page.get_by_label("Ora di inizio").fill("10:00")
    page.get_by_label("Ora di fine").fill("09:00")
    page.get_by_label("Luogo").fill("ATS Bergamo, sala Manzoni")
    page.get_by_label("Descrizione").fill("Confronto tra **Alleanze** sui servizi.")
    page.locator("#agenda-0-title").fill(FIRST_ITEM)
    page.locator("#agenda-0-planned_minutes").fill("15")
    page.locator("#agenda-1-title").fill(SECOND_ITEM)
    page.locator("#agenda-1-presenter").fill("Facilitatrice")
    page.get_by_role("button", name="Salva l'incontro").click()

    summary = page.locator("#form-errors")
    expect(summary).to_contain_text("La fine deve venire dopo l'inizio.")
    link = summary.get_by_role("link", name="Ora di fine")
    expect(link).to_have_attribute("href", "#end_time")
    end = page.locator("#end_time")
    expect(end).to_have_attribute("aria-invalid", "true")
    expect(end).to_have_attribute("aria-describedby", re.compile(r"\bend_time-error\b"))
    expect(page.locator("#end_time-error")).to_contain_text("La fine deve venire dopo l'inizio.")
    expect(page.get_by_label("Titolo")).to_have_value(TITLE)  # nothing typed is lost
    expect(page.locator("#agenda-1-title")).to_have_value(SECOND_ITEM)
    check_a11y(page)
    link.click()
    expect(end).to_be_focused()

    end.fill("12:00")
    page.get_by_role("button", name="Salva l'incontro").click()
    _flash(page, "Incontro programmato.")
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    facts = page.locator(".cop-facts")
    expect(facts).to_contain_text("10:00")
    expect(facts).to_contain_text("12:00")
    expect(facts).to_contain_text("ATS Bergamo, sala Manzoni")
    agenda = page.locator("ol.cop-agenda > li")
    expect(agenda).to_have_count(2)
    expect(agenda.nth(0)).to_contain_text(FIRST_ITEM)
    expect(agenda.nth(1)).to_contain_text(SECOND_ITEM)
    expect(page.locator(".cop-prose strong", has_text="Alleanze")).to_be_visible()
    check_a11y(page)
    path = re.sub(r"^https?://[^/]+", "", page.url)
    assert re.fullmatch(r"/incontri/\d+", path), page.url
    return path


def _invite(page, world, smtp) -> None:
    smtp.messages.clear()
    page.get_by_role("link", name="Inviti e risposte").click()
    check_a11y(page)
    _choose(page, "Invita tutti i membri dello spazio")
    page.get_by_label("Persone di altri spazi").fill(world.outsider.email)
    page.get_by_role("button", name="Invia gli inviti").click()
    _flash(page, "Invitate 3 persone.")
    table = page.get_by_role("table", name="Gli invitati e le loro risposte")
    for name in ("Coordinatrice Alleanza", "Membro Alleanza", "Persona Esterna"):
        expect(table.get_by_role("row").filter(has_text=name)).to_contain_text("non ha risposto")
    check_a11y(page)
    assert smtp.to(world.member.email), "the member gets the invitation by email"
    assert smtp.to(world.outsider.email), "so does the outsider from another space"


def _answer_yes(member, path) -> None:
    visit(member, path)
    expect(member.get_by_role("heading", name="Sei invitato: partecipi?")).to_be_visible()
    _choose(member, "Partecipo")
    member.get_by_role("button", name="Rispondi").click()
    _flash(member, "Risposta registrata: Partecipo.")
    expect(member.get_by_text("Hai risposto: Partecipo. Puoi cambiare la risposta.")
           ).to_be_visible()
    expect(member.get_by_label("Partecipo", exact=True)).to_be_checked()
    expect(member.locator(".cop-facts")).to_contain_text("3 invitati: 1 partecipa, 0 no, 0 forse")
    check_a11y(member)


def _take_attendance(page, path) -> None:
    visit(page, path)
    page.get_by_role("link", name="Registro presenze").click()
    expect(page.get_by_role("heading", level=1, name="Registro delle presenze")).to_be_visible()
    # who said «Partecipo» is proposed as present
    expect(page.get_by_label("Presenza di Membro Alleanza")).to_have_value("presente")
    check_a11y(page)
    page.get_by_label("Presenza di Coordinatrice Alleanza").select_option(label="Presente")
    page.get_by_label("Presenza di Persona Esterna").select_option(label="Assente giustificato")
    page.get_by_label("Organizzazione di Membro Alleanza").fill("Comune di Albino")
    page.get_by_role("button", name="Salva il registro").click()
    _flash(page, "Registro delle presenze salvato.")
    register = page.locator("#presenze ~ ul").first
    expect(register).to_contain_text("Membro Alleanza (Comune di Albino): Presente")
    expect(register).to_contain_text("Persona Esterna")
    expect(register).to_contain_text("Assente giustificato")
    check_a11y(page)


def _write_minutes(page, world) -> None:
    page.get_by_role("link", name="Scrivi il verbale").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Il verbale"))).to_be_visible()
    check_a11y(page)
    page.get_by_label("Note generali").fill("Incontro **partecipato**.")
    page.get_by_label(f"2. {SECOND_ITEM}").fill("Due proposte dai Comuni di Albino e Seriate.")
    page.get_by_role("button", name="Salva il verbale").click()
    _flash(page, "Verbale salvato.")
    expect(page.get_by_label(f"2. {SECOND_ITEM}")).to_have_value(
        "Due proposte dai Comuni di Albino e Seriate.")
    check_a11y(page)

    decisions = page.locator("#decisioni")
    decisions.get_by_label("Decisione").fill(DECISION)
    decisions.get_by_label("Punto dell'ordine del giorno").select_option(
        label=f"2. {SECOND_ITEM}")
    decisions.get_by_role("button", name="Aggiungi la decisione").click()
    _flash(page, "Verbale salvato e decisione aggiunta.")
    expect(page.locator("#decisioni li", has_text=DECISION)).to_contain_text(
        f"(punto {SECOND_ITEM})")
    check_a11y(page)

    actions = page.locator("#azioni")
    actions.get_by_label("Che cosa fare").fill(ACTION)
    owner = actions.get_by_label("Chi se ne occupa")
    owner.select_option(value=str(world.member.id))
    expect(owner.locator("option:checked")).to_contain_text("Membro Alleanza")
    actions.get_by_label("Entro il").fill("2031-01-15")
    actions.get_by_label("Punto dell'ordine del giorno").select_option(label=f"2. {SECOND_ITEM}")
    actions.get_by_role("button", name="Aggiungi l'azione").click()
    _flash(page, "Verbale salvato e azione aggiunta.")
    row = page.get_by_role("table", name="Le azioni decise nell'incontro").get_by_role(
        "row").filter(has_text=ACTION)
    expect(row).to_contain_text("Membro Alleanza")
    expect(row).to_contain_text("2031")
    check_a11y(page)


def _send_for_review(page, world, smtp) -> None:
    page.get_by_role("link", name="Torna all'incontro").click()
    check_a11y(page)
    smtp.messages.clear()
    page.get_by_role("button", name="Manda in revisione ai partecipanti").click()
    _flash(page, "Verbale mandato in revisione ai partecipanti.")
    expect(page.locator("#verbale")).to_contain_text("Il verbale è in revisione")
    check_a11y(page)
    assert smtp.to(world.member.email), "the present member is asked to read the minutes"
    assert not smtp.to(world.outsider.email), "the excused outsider is not"


def _the_day_comes(app, path) -> None:
    """The meeting planned for 2030 begins: the register and the minutes open at its start."""
    with app.app_context():
        meeting = db.session.get(Meeting, int(path.rsplit("/", 1)[1]))
        meeting.starts_at = utcnow() - timedelta(hours=1)
        meeting.ends_at = utcnow() + timedelta(hours=1)
        db.session.commit()


def test_plan_invite_answer_register_minutes_and_actions(page, new_page, world, app, smtp):
    sign_in(page, world.coordinator.email, world.coordinator.password)
    path = _plan_through_the_form(page, world)
    _invite(page, world, smtp)

    member = new_page()
    sign_in(member, world.member.email, world.member.password)
    _answer_yes(member, path)
    # the minutes are not there yet: a draft is for whoever writes them
    expect(member.locator("#verbale")).to_contain_text("sarà pubblicato qui")
    expect(member.get_by_role("link", name="Scrivi il verbale")).to_have_count(0)

    _the_day_comes(app, path)
    _take_attendance(page, path)
    _write_minutes(page, world)
    _send_for_review(page, world, smtp)

    visit(member, path)
    minutes = member.locator("#verbale")
    expect(minutes).to_contain_text("Il verbale è in revisione")
    expect(member.locator("ol.cop-agenda")).to_contain_text(
        "Due proposte dai Comuni di Albino e Seriate.")
    expect(member.locator("ol.cop-agenda")).to_contain_text(DECISION)
    expect(member.get_by_role("heading", name="Il tuo parere sul verbale")).to_be_visible()
    member.get_by_label("Commento sul verbale").fill("Tutto chiaro, grazie.")
    member.get_by_role("button", name="Approvo il verbale").click()
    _flash(member, "Grazie: hai approvato il verbale.")
    expect(member.get_by_text("Lo hai approvato.")).to_be_visible()
    check_a11y(member)

    visit(page, path)  # who wrote the minutes does not approve them
    expect(page.get_by_role("button", name="Approva e pubblica nello spazio")).to_have_count(0)
    admin = new_page()
    sign_in(admin, world.admin.email, world.admin.password)
    visit(admin, path)
    expect(admin.locator("#verbale")).to_contain_text("1 approvazione e 1 commento")
    expect(admin.locator("#verbale")).to_contain_text(
        "Membro Alleanza: approva — «Tutto chiaro, grazie.»")
    admin.get_by_role("button", name="Approva e pubblica nello spazio").click()
    _flash(admin, "Verbale approvato e pubblicato nello spazio.")
    expect(admin.locator("#verbale")).to_contain_text(
        "Il verbale è approvato e pubblicato.")
    check_a11y(admin)

    visit(member, path)
    expect(member.locator(".badge", has_text="Verbale approvato").first).to_be_visible()
    expect(member.locator("#verbale .cop-prose strong", has_text="partecipato")).to_be_visible()
    expect(member.locator("ol.cop-agenda")).to_contain_text(
        "Due proposte dai Comuni di Albino e Seriate.")
    expect(member.get_by_role("heading", name="Il tuo parere sul verbale")).to_have_count(0)
    row = member.get_by_role("table", name="Le azioni decise nell'incontro").get_by_role(
        "row").filter(has_text=ACTION)
    expect(row).to_contain_text("Membro Alleanza")
    member.get_by_role("link", name="Cronologia del verbale").click()
    check_a11y(member)
    visit(member, f"{path}/stampa")
    expect(member.locator("body")).to_contain_text(DECISION)

    visit(member, "/azioni/")
    expect(member.get_by_role("heading", level=1, name="Le mie azioni")).to_be_visible()
    mine = member.get_by_role("table", name="Le mie azioni").get_by_role("row").filter(
        has_text=ACTION)
    expect(mine).to_contain_text(TITLE)
    expect(mine).to_contain_text("Alleanza")
    member.get_by_label(f"Stato di «{ACTION}»").select_option(label="Fatta")
    mine.get_by_role("button", name="Aggiorna").click()
    _flash(member, "Azione aggiornata: Fatta.")
    expect(member.get_by_text("Nessuna azione aperta affidata a te.")).to_be_visible()
    check_a11y(member)
    member.get_by_role("link", name="Mostra anche quelle fatte e annullate").click()
    expect(member.get_by_label(f"Stato di «{ACTION}»")).to_have_value("fatta")
    check_a11y(member)

    visit(page, f"/spazi/{world.reserved.slug}/incontri/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    if "meetings.calendar" in app.view_functions:
        started = local(utcnow() - timedelta(hours=1))  # the month it began in, in Rome
        visit(member, f"/calendario/?mese={started:%Y-%m}")
        expect(member.get_by_role("link", name=re.compile(re.escape(TITLE)))).to_be_visible()
