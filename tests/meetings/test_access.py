"""Who sees a meeting: its space's readers and the people invited to it, nobody else, in every
list; a person's data export and account deletion."""
from __future__ import annotations

from sqlalchemy import select

from cop.extensions import db
from cop.meetings.models import Meeting
from tests.meetings.helpers import Meetings


def test_a_private_meeting_is_invisible_to_outsiders_and_visible_to_its_readers(
        client, world, app):
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                    title="Tavolo riservato")
    for person in (world.member, world.referent, world.admin):
        client.login(person.email)
        assert "Tavolo riservato" in client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
        client.logout()
    client.login(world.outsider.email)
    for url in (f"/incontri/{meeting_id}", f"/incontri/{meeting_id}/stampa",
                f"/incontri/{meeting_id}/verbale/versioni", f"/incontri/{meeting_id}/riscontro",
                f"/spazi/{world.reserved.slug}/incontri/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/incontri/{meeting_id}/risposta", {"answer": "si"}).status_code == 404


def test_an_invited_outsider_sees_that_meeting_until_the_invitation_is_taken_back(
        client, new_client, world, app):
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                    invite_ids=[world.outsider.id])
    client.login(world.outsider.email)
    assert client.get(f"/incontri/{meeting_id}").status_code == 200
    coordinator = new_client()
    coordinator.login(world.coordinator.email)
    assert coordinator.post(f"/incontri/{meeting_id}/invita/{world.outsider.id}/togli",
                            {}).status_code == 302
    assert client.get(f"/incontri/{meeting_id}").status_code == 404
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).invited_count == 0


def test_anybody_signed_in_registers_for_a_regional_meeting(client, world, app):
    meeting_id = Meetings(app).make(world.regional.slug, world.coordinator.id,
                                    title="Webinar aperto")
    client.login(world.outsider.email)
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Vuoi partecipare?" in page
    assert client.post(f"/incontri/{meeting_id}/risposta", {"answer": "si"}).status_code == 302
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert (meeting.invited_count, meeting.yes_count) == (1, 1)
    assert client.get(f"/incontri/{meeting_id}/modifica").status_code == 403


def test_the_personal_export_and_account_deletion(client, world, app, factory):
    person = factory.user(name="Persona Che Se Ne Va")
    factory.member(world.reserved, person)
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                    invite_members=True)
    client.login(person.email, person.password)
    client.post(f"/incontri/{meeting_id}/risposta", {"answer": "si"})
    data = client.get("/profilo/dati.json").get_json()
    assert data["meetings"]["invitations"][0]["answer"] == "si"
    assert data["meetings"]["invitations"][0]["meeting"] == "Tavolo di coordinamento"
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).yes_count == 1
    response = client.post("/profilo/elimina", {"password": person.password, "confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert (meeting.invited_count, meeting.yes_count) == (2, 0)  # coordinator, member
        assert db.session.scalar(select(Meeting.id)) == meeting_id
