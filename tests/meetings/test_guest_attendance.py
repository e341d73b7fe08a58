"""Issue 17, the facilitator's meeting: guests (people without an account, invited by email) are
rows of the register like the members, counted with them on the meeting's page, the printable
minutes and the versions of the minutes; and the change and cancellation emails give each
guest their own answer link again (an HMAC of a random nonce: only the nonce and the token's
hash are stored), while an uninvited guest's link stays dead."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from cop.extensions import db
from cop.meetings import calendar
from cop.meetings.models import Meeting, MeetingGuest
from cop.meetings.times import to_utc
from cop.tokens import hash_token, new_token
from tests.conftest import Client
from tests.meetings.helpers import Meetings
from tests.meetings.test_calendar import cancel, reschedule
from tests.meetings.test_notify import calendar_of, subject

SATURDAY = to_utc(date(2030, 10, 26), time(10))
ANNA, BRUNO = "anna.ospite@esempio.it", "bruno.ospite@esempio.it"
LINK = re.compile(r"http://localhost(/incontri/ospite/[A-Za-z0-9_-]+)")


def _invite(client, meeting_id, guests):
    return client.post(f"/incontri/{meeting_id}/invita", {"members": "", "guests": guests})


def _path(mail) -> str:
    [path] = LINK.findall(mail.body)
    return path


def _guests(app, meeting_id) -> dict[str, MeetingGuest]:
    with app.app_context():
        rows = db.session.scalars(select(MeetingGuest).where(
            MeetingGuest.meeting_id == meeting_id)).all()
        for row in rows:
            db.session.expunge(row)
        return {row.email: row for row in rows}


def _present_count(app, meeting_id) -> int:
    with app.app_context():
        return db.session.get(Meeting, meeting_id).present_count


def _to_the_past(app, meeting_id) -> None:
    """The meeting took place yesterday: its register can be taken."""
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        meeting.starts_at = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
        meeting.ends_at = meeting.starts_at + timedelta(hours=2)
        db.session.commit()


def _meeting_with_two_guests(app, client, world, smtp) -> tuple[int, dict]:
    """Anna answered «partecipo» from her link, Bruno did not answer; the meeting is over."""
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id, starts=SATURDAY,
                                    minute_taker_id=world.coordinator.id)
    client.login(world.coordinator.email)
    assert _invite(client, meeting_id, f"{ANNA}\n{BRUNO}").status_code == 302
    assert Client(app).post(_path(smtp.to(ANNA)[0]), {"answer": "si"}).status_code == 302
    _to_the_past(app, meeting_id)
    return meeting_id, _guests(app, meeting_id)


def _register(guests, anna="presente", bruno="assente", **extra) -> dict:
    anna_id, bruno_id = guests[ANNA].id, guests[BRUNO].id
    return {f"presenza-ospite-{anna_id}": anna, f"ente-ospite-{anna_id}": "Cooperativa Aurora",
            f"nome-ospite-{anna_id}": "Anna Ospite",
            f"presenza-ospite-{bruno_id}": bruno, f"ente-ospite-{bruno_id}": "",
            **extra}


def _selected(page: str, name: str) -> str:
    select_ = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select_, name
    chosen = re.findall(r'<option value="([^"]*)" selected>', select_.group(1))
    return chosen[0] if chosen else ""


# --- attendance ------------------------------------------------------------------------------

def test_the_facilitator_records_guests_present_and_absent_in_the_register(
        app, client, world, smtp):
    meeting_id, guests = _meeting_with_two_guests(app, client, world, smtp)
    anna, bruno = guests[ANNA].id, guests[BRUNO].id
    page = client.get(f"/incontri/{meeting_id}/presenze").get_data(as_text=True)
    # like a member's row: who answered «partecipo» is proposed as present
    assert _selected(page, f"presenza-ospite-{anna}") == "presente"
    assert _selected(page, f"presenza-ospite-{bruno}") == ""
    assert f'name="ente-ospite-{bruno}"' in page and f'name="nome-ospite-{bruno}"' in page

    response = client.post(f"/incontri/{meeting_id}/presenze", _register(guests, **{
        f"presenza-{world.coordinator.id}": "presente", f"presenza-{world.member.id}": ""}))
    assert response.status_code == 302 and response.location.endswith("#presenze")
    stored = _guests(app, meeting_id)
    assert (stored[ANNA].presence, stored[ANNA].organisation_name, stored[ANNA].name) == (
        "presente", "Cooperativa Aurora", "Anna Ospite")
    assert (stored[BRUNO].presence, stored[BRUNO].name) == ("assente", "")
    assert _present_count(app, meeting_id) == 2  # the coordinator and Anna

    page = client.get(f"/incontri/{meeting_id}/presenze").get_data(as_text=True)
    assert _selected(page, f"presenza-ospite-{anna}") == "presente"
    assert _selected(page, f"presenza-ospite-{bruno}") == "assente"
    assert 'value="Cooperativa Aurora"' in page and 'value="Anna Ospite"' in page

    figures = "2 presenti (di cui 1 ospite esterno) · 1 assente · 0 assenti giustificati"
    show = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert figures in show
    assert re.search(r"<li>Anna Ospite <span class=\"badge[^\"]*\">ospite</span> "
                     r"\(Cooperativa Aurora\): Presente</li>", show)
    assert re.search(re.escape(BRUNO) + r" <span class=\"badge[^\"]*\">ospite</span>: Assente",
                     show)  # no name given: the address
    printable = client.get(f"/incontri/{meeting_id}/stampa").get_data(as_text=True)
    assert figures in printable
    assert re.search(r"<td>Anna Ospite <span class=\"badge[^\"]*\">ospite</span></td>"
                     r"<td>Cooperativa Aurora</td><td>Presente</td>", printable)
    assert re.search(re.escape(BRUNO) + r" <span[^>]*>ospite</span></td><td></td><td>Assente",
                     printable)

    # the minutes' versions keep the guests' rows
    assert client.post(f"/incontri/{meeting_id}/verbale/revisione", {}).status_code == 302
    version = client.get(f"/incontri/{meeting_id}/verbale/versioni/1").get_data(as_text=True)
    assert figures in version
    assert "Anna Ospite" in version and "(Cooperativa Aurora): Presente" in version
    assert not [m for m in smtp.to(ANNA) if "verbale" in subject(m).lower()]  # no account


def test_a_guest_row_can_be_cleared_and_a_wrong_presence_is_refused(app, client, world, smtp):
    meeting_id, guests = _meeting_with_two_guests(app, client, world, smtp)
    url = f"/incontri/{meeting_id}/presenze"
    assert client.post(url, _register(guests)).status_code == 302
    wrong = client.post(url, _register(guests, bruno="forse"))
    assert wrong.status_code == 400
    page = wrong.get_data(as_text=True)
    assert f'id="presenza-ospite-{guests[BRUNO].id}-error"' in page
    assert "Scegli una delle voci." in page
    assert _guests(app, meeting_id)[BRUNO].presence == "assente"  # nothing saved
    # «— non registrato —»: the guest leaves the register and the figures
    assert client.post(url, _register(guests, anna="")).status_code == 302
    stored = _guests(app, meeting_id)
    assert stored[ANNA].presence is None and stored[ANNA].organisation_name == ""
    assert _present_count(app, meeting_id) == 0
    show = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "0 presenti · 1 assente" in show and "Anna Ospite" not in show


def test_uninviting_a_recorded_guest_takes_them_off_the_figures(app, client, world, smtp):
    meeting_id, guests = _meeting_with_two_guests(app, client, world, smtp)
    assert client.post(f"/incontri/{meeting_id}/presenze", _register(guests)).status_code == 302
    assert _present_count(app, meeting_id) == 1
    assert client.post(f"/incontri/{meeting_id}/ospiti/{guests[ANNA].id}/togli").status_code == 302
    assert _present_count(app, meeting_id) == 0


def test_only_who_writes_the_minutes_records_guests(app, client, world, smtp):
    meeting_id, guests = _meeting_with_two_guests(app, client, world, smtp)
    client.logout()
    member = Client(app)
    member.login(world.member.email)  # a member of the space, not running the meeting
    assert member.get(f"/incontri/{meeting_id}/presenze").status_code == 403
    assert member.post(f"/incontri/{meeting_id}/presenze", _register(guests)).status_code == 403
    outsider = Client(app)
    outsider.login(world.outsider.email)  # the space is reserved: the meeting is not seen
    assert outsider.post(f"/incontri/{meeting_id}/presenze",
                         _register(guests)).status_code in (403, 404)
    anonymous = Client(app)
    assert anonymous.post(f"/incontri/{meeting_id}/presenze",
                          _register(guests)).status_code == 302  # to the sign-in page
    stored = _guests(app, meeting_id)
    assert stored[ANNA].presence is None and stored[BRUNO].presence is None
    assert _present_count(app, meeting_id) == 0


# --- the guest's own link in the change and cancellation emails ------------------------------

def _invited(app, client, world, smtp) -> tuple[int, str]:
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id, starts=SATURDAY)
    client.login(world.coordinator.email)
    assert _invite(client, meeting_id, ANNA).status_code == 302
    return meeting_id, _path(smtp.to(ANNA)[0])


def test_the_change_and_cancellation_emails_carry_the_guests_own_link(app, client, world, smtp):
    meeting_id, path = _invited(app, client, world, smtp)
    with app.app_context():
        guest = db.session.scalar(select(MeetingGuest))
        token = path.rsplit("/", 1)[1]
        assert guest.link_nonce and token not in (guest.link_nonce, guest.token_hash)
        assert guest.token_hash == hash_token(token)
    smtp.messages.clear()
    reschedule(app, meeting_id, world.coordinator.id, to_utc(date(2030, 10, 25), time(15)))
    [changed] = smtp.to(ANNA)
    assert _path(changed) == path
    assert "Rispondi o cambia la risposta da questo collegamento" in changed.body
    assert str(calendar_of(changed, "REQUEST")["url"]) == f"http://localhost{path}"
    guest_browser = Client(app)
    page = guest_browser.get(_path(changed))
    assert page.status_code == 200
    assert "venerdì 25 ottobre 2030" in page.get_data(as_text=True)
    assert guest_browser.post(_path(changed), {"answer": "no"}).status_code == 302

    smtp.messages.clear()
    cancel(app, meeting_id, world.coordinator.id, "Sala non disponibile")
    [cancelled] = smtp.to(ANNA)
    assert _path(cancelled) == path
    assert str(calendar_of(cancelled, "CANCEL")["url"]) == f"http://localhost{path}"
    assert "Questo incontro è stato annullato." in Client(app).get(path).get_data(as_text=True)


def test_an_uninvited_guests_link_is_dead_and_a_new_invitation_is_a_new_link(
        app, client, world, smtp):
    meeting_id, path = _invited(app, client, world, smtp)
    with app.app_context():
        guest_id = db.session.scalar(select(MeetingGuest.id))
    assert client.post(f"/incontri/{meeting_id}/ospiti/{guest_id}/togli").status_code == 302
    assert Client(app).get(path).status_code == 404
    smtp.messages.clear()
    reschedule(app, meeting_id, world.coordinator.id, to_utc(date(2030, 10, 25), time(15)))
    assert smtp.to(ANNA) == []  # no longer invited, told nothing
    assert _invite(client, meeting_id, ANNA).status_code == 302
    new_path = _path(smtp.to(ANNA)[0])
    assert new_path != path
    assert Client(app).get(path).status_code == 404
    assert Client(app).get(new_path).status_code == 200


def test_a_guest_invited_before_the_nonce_keeps_their_link(app, client, world, smtp):
    """A row of migration 0013 (a random token, no nonce): the invitation's link still opens;
    the change email cannot give it again, so it points to the invitation, as before."""
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id, starts=SATURDAY)
    raw, hashed = new_token()
    with app.app_context():
        db.session.add(MeetingGuest(meeting_id=meeting_id, email=ANNA, token_hash=hashed))
        db.session.commit()
    assert Client(app).get(f"/incontri/ospite/{raw}").status_code == 200
    reschedule(app, meeting_id, world.coordinator.id, to_utc(date(2030, 10, 25), time(15)))
    [changed] = smtp.to(ANNA)
    assert not LINK.findall(changed.body)
    assert "usa il collegamento personale dell'email di invito" in changed.body
    assert str(calendar_of(changed, "REQUEST")["url"]) == "http://localhost/"


def test_the_link_needs_the_secret_key_and_is_not_given_again_after_it_changes(
        app, client, world, smtp):
    meeting_id, path = _invited(app, client, world, smtp)
    with app.app_context():
        guest = db.session.scalar(select(MeetingGuest))
        assert calendar.guest_token_again(guest) == path.rsplit("/", 1)[1]
        app.config["SECRET_KEY"] = "another-secret-key-of-the-same-length-or-so"
        assert calendar.guest_token(guest.meeting_id, guest.link_nonce) != path.rsplit("/", 1)[1]
        assert calendar.guest_token_again(guest) is None  # never a link that does not open
    # the link of the invitation still opens: it is looked up by its hash
    assert Client(app).get(path).status_code == 200
