"""A line break or another control character in what a member types breaks nothing: not the
replies, not moderation, not the emails (issue 16, item 2)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cop.auth.models import User
from cop.database import utcnow
from cop.discussions.models import Thread
from cop.extensions import db
from cop.notifications import delivery
from cop.notifications.models import Notification
from cop.text import multi_line, one_line
from tests.notifications.helpers import add_reply, new_thread, text, thread_url


@pytest.mark.parametrize("typed, kept", [
    ("Titolo\rcon ritorno", "Titolo con ritorno"),
    ("Titolo\r\ncon\ta capo", "Titolo con a capo"),
    ("Nul\x00lo e \u202eorrevo\u202c", "Nullo e orrevo"),
    ("Riga\u2028separata", "Riga separata"),
    ("Perché è così 🙂", "Perché è così 🙂"),
])
def test_one_line_keeps_the_words_and_drops_the_controls(typed, kept):
    assert one_line(typed) == kept


def test_multi_line_keeps_lines_and_tabs():
    assert multi_line("a\r\nb\rc\x00d\te\u2029f") == "a\nb\ncd\te\n\nf"


def test_a_title_and_a_name_typed_with_line_breaks_are_one_line_and_replies_work(
        app, world, client, new_client, smtp):
    client.login(world.member.email)
    response = client.post(f"/spazi/{world.reserved.slug}/discussioni/nuova", {
        "title": "Orari\r\nflessibili\r", "kind": "domanda", "body": "Riga uno\r\nRiga due",
        "tags": "orari\r\nnidi", "submit": "Pubblica"})
    assert response.status_code == 302
    with app.app_context():
        thread = db.session.scalar(select(Thread))
        assert thread.title == "Orari flessibili"
        thread_id = thread.id
    profile = client.post("/profilo", {"name": "Membro\rAlleanza", "locale": "it"})
    assert profile.status_code in (200, 302)
    with app.app_context():
        assert "\r" not in db.session.get(User, world.member.id).name

    coordinator = new_client()
    coordinator.login(world.coordinator.email)
    reply = coordinator.post(f"{thread_url(world.reserved, thread_id)}/rispondi",
                             {"body": "Da noi si entra alle 8.", "submit": "Pubblica"})
    assert reply.status_code == 302
    [mail] = smtp.to(world.member.email)
    assert "Orari flessibili" in mail.subject


def test_stored_text_with_line_breaks_cannot_break_replies_moderation_or_emails(
        app, world, new_client, smtp):
    """Rows written before the forms cleaned their input, or by another path."""
    thread_id, _ = new_thread(app, world.reserved, world.member, title="Vecchio\r\ntitolo\r")
    with app.app_context():
        db.session.get(User, world.coordinator.id).name = "Coordinatrice\r\nAlleanza"
        db.session.commit()
    coordinator = new_client()
    coordinator.login(world.coordinator.email)
    base = f"/spazi/{world.reserved.slug}/discussioni"
    reply = coordinator.post(f"{base}/{thread_id}/rispondi",
                             {"body": "Risposta", "submit": "Pubblica"})
    assert reply.status_code == 302
    [mail] = smtp.to(world.member.email)
    assert "\r" not in mail.subject and "\n" not in mail.subject
    assert "Vecchio titolo" in mail.subject
    for action in ("chiudi", "nascondi"):
        response = coordinator.post(f"{base}/{thread_id}/modera",
                                    {"azione": action, "reason": "Per prova"})
        assert response.status_code == 302, action
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        assert thread.locked and thread.hidden


# --- the email worker: one bad message holds back no other --------------------------------

@pytest.fixture
def worker_app(make_app):
    return make_app(NOTIFICATION_EMAIL_WORKER=True)


def _emails(app):
    with app.app_context():
        return {n.user_id: (n.email_pending, n.email_attempts, n.email_error is not None,
                            n.emailed_at is not None)
                for n in db.session.scalars(select(Notification))}


def test_the_worker_sets_aside_a_message_the_server_refuses_and_sends_the_rest(
        worker_app, factory, smtp, new_client):
    app = worker_app
    w = factory.world()
    unusual = factory.user(name="Persona Trasferita", email="trasferita@esempio.it")
    factory.member(w.reserved, unusual)
    smtp.refused.add("trasferita@esempio.it")  # the mailbox was closed
    thread_a, _ = new_thread(app, w.reserved, unusual, title="Prima")
    thread_b, _ = new_thread(app, w.reserved, w.member, title="Seconda")
    add_reply(app, thread_a, w.coordinator, "Risposta a chi ha l'indirizzo accentato")
    add_reply(app, thread_b, w.coordinator, "Risposta al membro")

    with app.app_context():
        assert delivery.send_pending().settled == 2
        assert delivery.send_pending().settled == 0  # not again at once
    assert [m.subject for m in smtp.to(w.member.email)] != []
    state = _emails(app)
    assert state[w.member.id] == (False, 0, False, True)
    assert state[unusual.id] == (True, 1, True, False)  # waits for another attempt

    for hours in range(1, delivery.MAX_ATTEMPTS):  # later passes, once it is due again
        with app.app_context():
            delivery.send_pending(now=utcnow() + timedelta(hours=6 * hours))
    assert _emails(app)[unusual.id] == (False, delivery.MAX_ATTEMPTS, True, False)
    with app.app_context():
        assert delivery.send_pending(now=utcnow() + timedelta(days=2)).settled == 0
    assert len(smtp.to(w.member.email)) == 1  # and nothing went twice

    admin = new_client()
    admin.login(w.admin.email)
    page = text(admin.get("/admin/email-non-consegnate"))
    assert "trasferita@esempio.it" in page and "messa da parte" in page
    assert "SMTPRecipientsRefused" in page and "Mailbox unavailable" in page
    admin.post("/admin/email-non-consegnate/riprova", {})
    assert _emails(app)[unusual.id][:2] == (True, 0)


def test_the_worker_goes_on_when_one_message_cannot_be_built(
        worker_app, factory, smtp, monkeypatch):
    app = worker_app
    w = factory.world()
    thread_a, _ = new_thread(app, w.reserved, w.coordinator, title="Per la coordinatrice")
    thread_b, _ = new_thread(app, w.reserved, w.member, title="Per il membro")
    add_reply(app, thread_a, w.member, "Uno")
    add_reply(app, thread_b, w.coordinator, "Due")
    from cop.notifications import services

    real = services.notification_email

    def broken_for_the_coordinator(user, *args):  # a defect in one message's template
        if user.id == w.coordinator.id:
            raise ValueError("cannot build this one")
        return real(user, *args)

    monkeypatch.setattr(services, "notification_email", broken_for_the_coordinator)
    with app.app_context():
        delivery.send_pending()
    assert len(smtp.to(w.member.email)) == 1
    assert _emails(app)[w.coordinator.id] == (True, 1, True, False)


def test_a_recipient_refused_for_now_is_tried_again_later_for_longer(
        worker_app, factory, smtp):
    app = worker_app
    w = factory.world()
    thread_a, _ = new_thread(app, w.reserved, w.coordinator, title="Per la coordinatrice")
    thread_b, _ = new_thread(app, w.reserved, w.member, title="Per il membro")
    add_reply(app, thread_a, w.member, "Uno")
    add_reply(app, thread_b, w.coordinator, "Due")
    smtp.deferred.add(w.coordinator.email)
    for hours in range(delivery.MAX_ATTEMPTS + 1):  # beyond a refusal's attempts
        with app.app_context():
            delivery.send_pending(now=utcnow() + timedelta(hours=6 * hours))
    assert len(smtp.to(w.member.email)) == 1
    assert _emails(app)[w.coordinator.id] == (True, 4, True, False)  # still waiting
    smtp.deferred.clear()
    with app.app_context():
        delivery.send_pending(now=utcnow() + timedelta(days=2))
    assert len(smtp.to(w.coordinator.email)) == 1
    assert _emails(app)[w.coordinator.id] == (False, 4, False, True)


def test_a_worker_stopped_mid_pass_writes_down_what_already_left(
        worker_app, factory, smtp, monkeypatch):
    """Ctrl+C, or SIGTERM turned into an exit: the next worker does not send those again."""
    app = worker_app
    w = factory.world()
    for n in range(3):
        thread_id, _ = new_thread(app, w.reserved, w.member, title=f"Discussione {n}")
        add_reply(app, thread_id, w.coordinator, f"Risposta {n}")
    from cop import mail

    real_send = mail.Connection.send

    def stopped_at_the_third(self, message):
        if len(smtp.messages) == 2:
            raise KeyboardInterrupt
        return real_send(self, message)

    monkeypatch.setattr(mail.Connection, "send", stopped_at_the_third)
    with app.app_context(), pytest.raises(KeyboardInterrupt):
        delivery.send_pending()
    monkeypatch.setattr(mail.Connection, "send", real_send)
    with app.app_context():
        assert delivery.send_pending().settled == 1
    assert sorted(m.subject for m in smtp.messages) == sorted(set(m.subject for m in smtp.messages))
    assert len(smtp.messages) == 3
