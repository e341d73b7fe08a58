"""Issue 17: guests without an account, invited to a meeting by email. They get the invitation
with the .ics and a personal answer link, answer without signing in, and hear of changes and
cancellations; the link shows the meeting's invitation facts and nothing else."""
from __future__ import annotations

import re
from datetime import date, time

from sqlalchemy import select

from cop.extensions import db
from cop.meetings.models import Meeting, MeetingGuest, MeetingInvitation
from cop.meetings.times import to_utc
from tests.conftest import Client
from tests.meetings.helpers import Meetings
from tests.meetings.test_calendar import cancel, reschedule
from tests.meetings.test_notify import calendar_of, subject

SATURDAY = to_utc(date(2030, 10, 26), time(10))
GUEST = "ospite.esterna@esempio.it"
LINK = re.compile(r"http://localhost(/incontri/ospite/[A-Za-z0-9_-]+)")


def _invite(client, meeting_id, guests, **extra):
    return client.post(f"/incontri/{meeting_id}/invita", {"members": "", "guests": guests,
                                                          **extra})


def _guest_path(mail) -> str:
    [path] = LINK.findall(mail.body)
    return path


def _counters(app, meeting_id):
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        return (meeting.invited_count, meeting.yes_count, meeting.no_count, meeting.maybe_count)


def _invited_guest(app, client, world, smtp, **make):
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id, starts=SATURDAY,
                                    **make)
    client.login(world.coordinator.email)
    assert _invite(client, meeting_id, GUEST).status_code == 302
    [mail] = smtp.to(GUEST)
    return meeting_id, mail


def test_a_guest_gets_the_invitation_with_the_ics_and_a_personal_answer_link(
        app, client, world, smtp):
    meeting_id, mail = _invited_guest(app, client, world, smtp)
    assert subject(mail) == "Invito: Tavolo di coordinamento, sabato 26 ottobre 2030, 10:00"
    assert "Buongiorno," in mail.body and "Dove: Sala riunioni" in mail.body
    assert f"/incontri/{meeting_id}" not in mail.body  # no page that needs an account
    path = _guest_path(mail)
    event = calendar_of(mail, "REQUEST")
    assert str(event["uid"]) == f"meeting-{meeting_id}@cop"
    assert str(event["attendee"]) == f"mailto:{GUEST}"
    assert str(event["url"]) == f"http://localhost{path}"
    with app.app_context():
        [guest] = db.session.scalars(select(MeetingGuest)).all()
        assert guest.email == GUEST and guest.answer is None
        token = path.rsplit("/", 1)[1]
        assert token not in guest.token_hash  # only the hash is stored
    assert _counters(app, meeting_id) == (1, 0, 0, 0)
    page = client.get(f"/incontri/{meeting_id}/invita").get_data(as_text=True)
    assert GUEST in page and "Ospiti esterni" in page


def test_the_guest_answers_from_the_link_and_the_facilitator_sees_it(app, client, world, smtp):
    meeting_id, mail = _invited_guest(app, client, world, smtp)
    path = _guest_path(mail)
    guest_browser = Client(app)
    page = guest_browser.get(path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Tavolo di coordinamento" in text and "sabato 26 ottobre 2030" in text
    assert "Sala riunioni" in text and "Punto 1" not in text  # not the agenda, nor the space
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert guest_browser.post(path, {"answer": "forse"}).status_code == 302
    assert guest_browser.post(path, {"answer": "si"}).status_code == 302
    assert "Risposta registrata: Partecipo." in guest_browser.get(path).get_data(as_text=True)
    assert _counters(app, meeting_id) == (1, 1, 0, 0)
    with app.app_context():
        assert db.session.scalar(select(MeetingGuest.answer)) == "si"
    row = client.get(f"/incontri/{meeting_id}/invita").get_data(as_text=True)
    assert re.search(re.escape(GUEST) + r".*?</td>\s*<td>Partecipo</td>", row, re.S)
    register = client.get(f"/incontri/{meeting_id}/presenze").get_data(as_text=True)
    badge = r' <span class="badge[^"]*">ospite</span></th><td>Partecipo'
    assert re.search(re.escape(GUEST) + badge, register)
    # a wrong answer and a missing CSRF token are refused
    assert guest_browser.post(path, {"answer": "magari"}).status_code == 400
    assert guest_browser.post(path, {"answer": "no"}, csrf=False).status_code == 400
    assert _counters(app, meeting_id) == (1, 1, 0, 0)


def test_changes_and_cancellation_reach_the_guest(app, client, world, smtp):
    meeting_id, _mail = _invited_guest(app, client, world, smtp)
    path = _guest_path(_mail)
    smtp.messages.clear()
    reschedule(app, meeting_id, world.coordinator.id, to_utc(date(2030, 10, 25), time(15)))
    [changed] = smtp.to(GUEST)
    assert subject(changed).startswith("Incontro modificato: Tavolo di coordinamento")
    assert "venerdì 25 ottobre 2030, 15:00" in changed.body
    assert calendar_of(changed, "REQUEST")["sequence"] == 1
    smtp.messages.clear()
    cancel(app, meeting_id, world.coordinator.id, "Sala non disponibile")
    [cancelled] = smtp.to(GUEST)
    assert subject(cancelled).startswith("Incontro annullato: Tavolo di coordinamento")
    assert "Sala non disponibile" in cancelled.body
    assert str(calendar_of(cancelled, "CANCEL")["status"]) == "CANCELLED"
    # the link still opens, says the meeting is cancelled and takes no answer
    guest_browser = Client(app)
    text = guest_browser.get(path).get_data(as_text=True)
    assert "Questo incontro è stato annullato." in text and 'name="answer"' not in text
    guest_browser.post(path, {"answer": "si"})
    assert _counters(app, meeting_id)[1] == 0


def test_a_link_that_is_not_valid_is_the_invalid_link_page(app, client, world, smtp):
    meeting_id, mail = _invited_guest(app, client, world, smtp)
    guest_browser = Client(app)
    response = guest_browser.get("/incontri/ospite/non-valido")
    assert response.status_code == 404
    assert "Collegamento non valido" in response.get_data(as_text=True)
    assert guest_browser.post("/incontri/ospite/non-valido", {"answer": "si"}).status_code == 404
    # a guest's link gives nothing of the meeting's page or of another meeting
    other = Meetings(app).make(world.reserved.slug, world.coordinator.id, title="Altro incontro",
                               starts=SATURDAY)
    path = _guest_path(mail)
    assert "Altro incontro" not in guest_browser.get(path).get_data(as_text=True)
    assert guest_browser.get(f"/incontri/{meeting_id}").status_code == 302  # sign in first
    assert guest_browser.get(f"/incontri/{other}").status_code == 302
    token = path.rsplit("/", 1)[1]
    assert guest_browser.get(f"/incontri/{other}/invita?token={token}").status_code == 302
    guest_browser.post(path, {"answer": "si"})
    assert _counters(app, other) == (0, 0, 0, 0)


def test_a_link_stops_working_when_the_meeting_has_ended(app, client, world, smtp):
    meeting_id, mail = _invited_guest(app, client, world, smtp)
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        meeting.starts_at = to_utc(date(2020, 1, 1), time(10))
        meeting.ends_at = to_utc(date(2020, 1, 1), time(12))
        db.session.commit()
    assert Client(app).get(_guest_path(mail)).status_code == 404


def test_an_address_of_an_account_invites_the_person_and_the_form_keeps_what_was_typed(
        app, client, world, smtp):
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id, starts=SATURDAY)
    client.login(world.coordinator.email)
    typed = f"non-una-email, {GUEST}"
    response = _invite(client, meeting_id, typed, people="@nessuno-così")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Questi indirizzi non sono validi: non-una-email." in page
    assert f"non-una-email, {GUEST}</textarea>" in page and "@nessuno-così</textarea>" in page
    too_many = "\n".join(f"ospite{n}@esempio.it" for n in range(51))
    assert "Al massimo 50 ospiti per volta." in _invite(client, meeting_id, too_many) \
        .get_data(as_text=True)
    assert smtp.messages == []

    assert _invite(client, meeting_id, f"{world.outsider.email.upper()}\n{GUEST}; {GUEST}") \
        .status_code == 302
    with app.app_context():
        assert db.session.scalars(select(MeetingGuest.email)).all() == [GUEST]
        assert db.session.scalars(select(MeetingInvitation.user_id)).all() == [world.outsider.id]
    assert smtp.links(smtp.to(world.outsider.email)[0])[:1] == [
        f"http://localhost/incontri/{meeting_id}"]
    assert len(smtp.to(GUEST)) == 1
    assert _counters(app, meeting_id) == (2, 0, 0, 0)
    # invited again: nobody new, no second email
    smtp.messages.clear()
    _invite(client, meeting_id, GUEST)
    assert smtp.messages == [] and _counters(app, meeting_id) == (2, 0, 0, 0)


def test_the_facilitator_removes_a_guest(app, client, world, smtp):
    meeting_id, mail = _invited_guest(app, client, world, smtp)
    with app.app_context():
        guest_id = db.session.scalar(select(MeetingGuest.id))
    assert client.post(f"/incontri/{meeting_id}/ospiti/{guest_id}/togli").status_code == 302
    assert _counters(app, meeting_id) == (0, 0, 0, 0)
    assert Client(app).get(_guest_path(mail)).status_code == 404
    member = Client(app)
    member.login(world.member.email)
    assert member.post(f"/incontri/{meeting_id}/ospiti/{guest_id}/togli").status_code == 403


def test_deleting_the_inviters_account_keeps_the_guest_and_their_answer(app, client, world,
                                                                        smtp, factory):
    from cop.account import services as account
    from cop.auth.models import User
    from cop.meetings.models import MeetingFacilitator

    inviter = factory.user(name="Facilitatrice Che Se Ne Va")
    factory.member(world.reserved, inviter)
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id, starts=SATURDAY)
    with app.app_context():
        db.session.add(MeetingFacilitator(meeting_id=meeting_id, user_id=inviter.id))
        db.session.commit()
    browser = Client(app)
    browser.login(inviter.email)
    assert _invite(browser, meeting_id, GUEST).status_code == 302
    path = _guest_path(smtp.to(GUEST)[0])
    with app.app_context():
        account.delete_account(db.session.get(User, inviter.id))
        db.session.commit()
    with app.app_context():
        guest = db.session.scalar(select(MeetingGuest))
        assert guest.email == GUEST and guest.invited_by_id is None
    assert Client(app).post(path, {"answer": "no"}).status_code == 302
    assert _counters(app, meeting_id) == (1, 0, 1, 0)
