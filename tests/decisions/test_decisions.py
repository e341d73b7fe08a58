"""Decisions in a discussion: open a proposal, take and change positions with reasons, counts
and reasons on the page, blocks that must say why, polls (several choices, anonymous), scores,
closing (on time or early), the outcome, and what the members are told."""
from __future__ import annotations

import html
import re
from datetime import timedelta

from sqlalchemy import func, select, update

from cop import mail
from cop.database import utcnow
from cop.decisions.models import GroupDecision, Stance
from cop.extensions import db
from cop.notifications.models import Notification
from tests.decisions import helpers


def told(app, user_id, kind) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(
            Notification.user_id == user_id, Notification.kind == kind))


def page(client, decision_id) -> str:
    response = client.get(f"/decisioni/{decision_id}")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_a_member_opens_a_proposal_and_another_takes_a_position(app, world, client, new_client,
                                                                smtp):
    thread_id = helpers.thread(app, world.reserved.id, world.member.id)
    client.login(world.member.email)
    form = client.get(f"/discussioni/{thread_id}/decisioni/nuova")
    assert form.status_code == 200 and "Nuova decisione" in form.get_data(as_text=True)
    response = client.post(f"/discussioni/{thread_id}/decisioni/nuova", helpers.form_data())
    assert response.status_code == 302
    decision_id = int(re.search(r"/decisioni/(\d+)$", response.headers["Location"]).group(1))
    shown = page(client, decision_id)
    assert "Il prossimo tema è la cura dei familiari anziani" in shown
    assert "<strong>giugno</strong>" in shown  # the explanation in Markdown
    assert "Chiudi ora la decisione" in shown  # its author may close it
    # The coordinator, a member of the space, is told; the outsider is not.
    assert told(app, world.coordinator.id, "decision_opened") == 1
    assert told(app, world.outsider.id, "decision_opened") == 0
    mail.wait_for_deliveries()
    [email] = smtp.to(world.coordinator.email)
    assert "chiede di decidere" in email.subject + email.body
    assert any(f"/decisioni/{decision_id}" in link for link in smtp.links(email))
    assert smtp.to(world.outsider.email) == []

    coordinator = new_client()
    coordinator.login(world.coordinator.email)
    ids = helpers.options(app, decision_id)
    answer = coordinator.post(f"/decisioni/{decision_id}/posizione",
                              {"choice": ids["disaccordo"],
                               "reason": "Meglio il lavoro agile: lo chiedono le imprese."})
    assert answer.status_code == 302
    shown = page(coordinator, decision_id)
    assert "1 persona ha preso posizione." in shown
    assert "Coordinatrice Alleanza" in shown and "lo chiedono le imprese" in shown
    row = re.search(r'cop-position-disaccordo"><th scope="row">In disaccordo</th>\s*'
                    r'<td>(\d+)</td><td>(\d+) %</td>', shown)
    assert row and row.groups() == ("1", "100")

    # Changing one's mind replaces the position: still one person, counted once.
    coordinator.post(f"/decisioni/{decision_id}/posizione",
                     {"choice": ids["accordo"], "reason": "Mi hanno convinto."})
    assert helpers.counts(app, decision_id) == (1, {
        "accordo": (1, 0), "astensione": (0, 0), "disaccordo": (0, 0), "blocco": (0, 0)})
    shown = page(client, decision_id)
    assert "Mi hanno convinto." in shown and "lo chiedono le imprese" not in shown

    # The thread shows its decision with the counts.
    thread_page = html.unescape(client.get(
        f"/spazi/{world.reserved.slug}/discussioni/{thread_id}").get_data(as_text=True))
    assert "Decisioni e sondaggi" in thread_page
    assert "Il prossimo tema è la cura dei familiari anziani" in thread_page
    assert "D'accordo: 1 · Mi astengo: 0" in thread_page


def test_a_block_asks_for_a_reason_and_the_form_keeps_the_choice(app, world, client):
    thread_id = helpers.thread(app, world.reserved.id, world.coordinator.id)
    decision_id = helpers.decision(app, world.coordinator.id, thread_id=thread_id)
    ids = helpers.options(app, decision_id)
    client.login(world.member.email)
    response = client.post(f"/decisioni/{decision_id}/posizione",
                           {"choice": ids["blocco"], "reason": "  "})
    assert response.status_code == 400
    body = html.unescape(response.get_data(as_text=True))
    assert re.search(r'id="reason-error"[^>]*>\s*<p[^>]*>.*Chi blocca una proposta spiega perché',
                     body, re.S)
    assert re.search(rf'value="{ids["blocco"]}"[^>]*checked|checked[^>]*value="{ids["blocco"]}"',
                     body)
    assert helpers.counts(app, decision_id)[0] == 0
    # With a reason it is taken; markup in it is made harmless, control characters dropped.
    response = client.post(f"/decisioni/{decision_id}/posizione", {
        "choice": ids["blocco"],
        "reason": "Non ora\x07: <script>alert(1)</script> manca il **bilancio**."})
    assert response.status_code == 302
    with app.app_context():
        stance = db.session.scalar(select(Stance).where(Stance.decision_id == decision_id))
        assert "<script>" not in stance.reason_html and "\x07" not in stance.reason
        assert "<strong>bilancio</strong>" in stance.reason_html


def test_opening_refuses_bad_input_beside_the_field(app, world, client):
    thread_id = helpers.thread(app, world.reserved.id, world.member.id)
    client.login(world.member.email)
    url = f"/discussioni/{thread_id}/decisioni/nuova"
    response = client.post(url, helpers.form_data(kind="sondaggio", options="Solo una",
                                                  title="x" * 300))
    assert response.status_code == 400
    body = html.unescape(response.get_data(as_text=True))
    assert re.search(r'id="options-error".*Scrivi da 2 a 20 opzioni', body, re.S)
    assert 'id="title-error"' in body
    assert "Solo una" in body  # what was typed stays
    yesterday = (utcnow() - timedelta(days=1)).date().isoformat()
    response = client.post(url, helpers.form_data(closes_day=yesterday))
    assert response.status_code == 400
    assert re.search(r'id="closes_day-error".*La chiusura deve essere nel futuro',
                     html.unescape(response.get_data(as_text=True)), re.S)
    response = client.post(url, helpers.form_data(kind="sondaggio", options="A\nB\na"))
    assert "Le opzioni devono essere diverse" in html.unescape(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(GroupDecision)) == 0


def test_several_decisions_in_one_thread_a_poll_with_several_choices_and_a_score(app, world,
                                                                                 client):
    """A CoP chooses its next topic: a poll with several choices, then a score of the two
    favourites, in the same thread as a proposal."""
    thread_id = helpers.thread(app, world.reserved.id, world.coordinator.id)
    helpers.decision(app, world.coordinator.id, thread_id=thread_id, title="Proposta iniziale")
    poll_id = helpers.decision(app, world.coordinator.id, thread_id=thread_id, kind="sondaggio",
                               title="Prossimo tema", multiple=True,
                               options=["Caregiver", "Lavoro agile", "Congedi parentali"])
    score_id = helpers.decision(app, world.coordinator.id, thread_id=thread_id,
                                kind="punteggio", title="Quanto è urgente?", scale="0-10",
                                options=["Caregiver", "Lavoro agile"])
    ids = helpers.options(app, poll_id)
    client.login(world.member.email)
    response = client.post(f"/decisioni/{poll_id}/posizione", {
        "choice": [ids["Caregiver"], ids["Congedi parentali"]], "reason": "Due temi vicini."})
    assert response.status_code == 302
    helpers.vote(app, poll_id, world.coordinator.id, {ids["Caregiver"]: None})
    assert helpers.counts(app, poll_id) == (2, {"Caregiver": (2, 0), "Lavoro agile": (0, 0),
                                                "Congedi parentali": (1, 0)})
    scores = helpers.options(app, score_id)
    bad = client.post(f"/decisioni/{score_id}/posizione",
                      {f"punteggio_{scores['Caregiver']}": "11",
                       f"punteggio_{scores['Lavoro agile']}": ""})
    assert bad.status_code == 400
    assert "Dai un punteggio a questa opzione." in html.unescape(bad.get_data(as_text=True))
    client.post(f"/decisioni/{score_id}/posizione", {
        f"punteggio_{scores['Caregiver']}": "9", f"punteggio_{scores['Lavoro agile']}": "4"})
    helpers.vote(app, score_id, world.coordinator.id,
                 {scores["Caregiver"]: 6, scores["Lavoro agile"]: 10})
    shown = page(client, score_id)
    assert re.search(r"Caregiver</th>\s*<td>7.5</td><td>2</td>", shown)
    assert re.search(r"Lavoro agile</th>\s*<td>7.0</td><td>2</td>", shown)
    thread_page = html.unescape(client.get(
        f"/spazi/{world.reserved.slug}/discussioni/{thread_id}").get_data(as_text=True))
    for title in ("Proposta iniziale", "Prossimo tema", "Quanto è urgente?"):
        assert title in thread_page


def test_an_anonymous_poll_shows_counts_never_who(app, world, client):
    thread_id = helpers.thread(app, world.reserved.id, world.coordinator.id)
    poll_id = helpers.decision(app, world.coordinator.id, thread_id=thread_id, kind="sondaggio",
                               title="Sondaggio riservato", anonymous=True,
                               options=["Sì", "No"])
    ids = helpers.options(app, poll_id)
    client.login(world.member.email)
    form = page(client, poll_id)
    assert 'name="reason"' not in form  # no reasons: they could tell who
    client.post(f"/decisioni/{poll_id}/posizione", {"choice": ids["No"]})
    helpers.vote(app, poll_id, world.coordinator.id, {ids["Sì"]: None}, reason="ignorata")
    shown = page(client, poll_id)
    assert "2 persone hanno preso posizione." in shown
    assert "Posizioni e motivazioni" not in shown
    assert "Coordinatrice Alleanza" not in shown.split("Conteggi", 1)[1]
    assert "ignorata" not in shown
    assert "Hai scelto: No." in shown  # one's own choice, to oneself


def test_closing_on_time_early_and_the_outcome(app, world, client, new_client, smtp):
    thread_id = helpers.thread(app, world.reserved.id, world.member.id)
    decision_id = helpers.decision(app, world.member.id, thread_id=thread_id)
    ids = helpers.options(app, decision_id)
    helpers.vote(app, decision_id, world.coordinator.id, {ids["accordo"]: None}, "Sì")
    client.login(world.member.email)
    # The outcome waits for the closing.
    early = client.post(f"/decisioni/{decision_id}/esito", {"outcome": "Si fa."})
    assert early.status_code == 302
    assert "L'esito si scrive quando la decisione è chiusa" in page(client, decision_id)
    # Another member (not its author, not a manager) may not close it.
    other = new_client()
    referent_like = world.outsider
    other.login(referent_like.email)
    assert other.post(f"/decisioni/{decision_id}/chiudi").status_code == 404
    assert client.post(f"/decisioni/{decision_id}/chiudi").status_code == 302
    shown = page(client, decision_id)
    assert "Chiusa" in shown and 'name="outcome"' in shown
    # Closed: no more positions.
    coordinator = new_client()
    coordinator.login(world.coordinator.email)
    late = coordinator.post(f"/decisioni/{decision_id}/posizione", {"choice": ids["blocco"],
                                                                    "reason": "Tardi"})
    assert late.status_code == 302
    assert helpers.counts(app, decision_id)[1]["blocco"] == (0, 0)
    response = client.post(f"/decisioni/{decision_id}/esito",
                           {"outcome": "Approvata: il tema d'autunno è la **cura**."})
    assert response.status_code == 302
    shown = page(client, decision_id)
    assert "<strong>cura</strong>" in shown and "Scritto da Membro Alleanza" in shown
    assert told(app, world.coordinator.id, "decision_outcome") == 1


def test_the_status_comes_from_the_closing_time(app, world, client):
    thread_id = helpers.thread(app, world.reserved.id, world.member.id)
    decision_id = helpers.decision(app, world.member.id, thread_id=thread_id)
    with app.app_context():
        db.session.execute(update(GroupDecision).where(GroupDecision.id == decision_id)
                           .values(closes_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    client.login(world.coordinator.email)
    shown = page(client, decision_id)
    assert "La decisione è chiusa: non si possono più prendere posizioni." in shown
    ids = helpers.options(app, decision_id)
    client.post(f"/decisioni/{decision_id}/posizione", {"choice": ids["accordo"]})
    assert helpers.counts(app, decision_id)[0] == 0
    # The coordinator of the space manages it: writes the outcome once it is closed.
    assert client.post(f"/decisioni/{decision_id}/esito",
                       {"outcome": "Nessuno ha votato."}).status_code == 302


def test_the_author_moves_the_closing_or_reopens_until_the_outcome(app, world, client,
                                                                   new_client):
    thread_id = helpers.thread(app, world.reserved.id, world.member.id)
    decision_id = helpers.decision(app, world.member.id, thread_id=thread_id)
    client.login(world.member.email)
    shown = page(client, decision_id)
    assert "Sposta la chiusura" in shown
    assert 'name="closes_day" type="date" value="' in shown.replace("required ", "")
    client.post(f"/decisioni/{decision_id}/chiudi")
    assert "Riapri la decisione" in page(client, decision_id)
    past = (utcnow() - timedelta(days=2)).date().isoformat()
    refused = client.post(f"/decisioni/{decision_id}/chiusura",
                          {"closes_day": past, "closes_time": "18:00"})
    assert refused.status_code == 400
    assert re.search(r'id="closes_day-error".*La chiusura deve essere nel futuro',
                     html.unescape(refused.get_data(as_text=True)), re.S)
    later = (utcnow() + timedelta(days=10)).date().isoformat()
    assert client.post(f"/decisioni/{decision_id}/chiusura",
                       {"closes_day": later, "closes_time": "12:00"}).status_code == 302
    ids = helpers.options(app, decision_id)
    other = new_client()
    other.login(world.coordinator.email)
    other.post(f"/decisioni/{decision_id}/posizione", {"choice": ids["accordo"]})
    assert helpers.counts(app, decision_id)[0] == 1  # open again
    client.post(f"/decisioni/{decision_id}/chiudi")
    client.post(f"/decisioni/{decision_id}/esito", {"outcome": "Approvata."})
    shown = page(client, decision_id)
    assert "Riapri la decisione" not in shown  # the outcome is written: it stays closed
    assert client.post(f"/decisioni/{decision_id}/chiusura",
                       {"closes_day": later, "closes_time": "12:00"}).status_code == 400
    with app.app_context():
        assert db.session.get(GroupDecision, decision_id).closed_at is not None
