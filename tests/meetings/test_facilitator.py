"""Issue 17, the facilitator's meeting: nothing typed in the minutes is lost, reviewers'
comments reach whoever approves, dates that make sense, several facilitators at a click, a
register of the whole space, and a picker to invite members one by one."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from cop.extensions import db
from cop.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingFacilitator,
    MeetingInvitation,
)
from tests.meetings.helpers import Meetings, form_data


def _items(app, meeting_id):
    with app.app_context():
        return db.session.scalars(select(AgendaItem.id).where(
            AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position)).all()


def _meeting(app, meeting_id):
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        db.session.expunge(meeting)
        return meeting


# --- 1. nothing typed in the minutes is lost -------------------------------------------------

def test_adding_a_decision_keeps_the_notes_typed_in_the_minutes(client, world, app):
    meeting_id = Meetings(app).past(world.reserved.slug, world.coordinator.id,
                                    invite_members=True)
    items = _items(app, meeting_id)
    client.login(world.coordinator.email)
    page = client.get(f"/incontri/{meeting_id}/verbale").get_data(as_text=True)
    assert "Aggiungi la decisione" in page
    response = client.post(f"/incontri/{meeting_id}/verbale", {
        "note": "Note generali non ancora salvate.", f"punto-{items[0]}": "Giro di tavolo.",
        "text": "Si adotta il modello condiviso.", "item_id": str(items[0]),
        "add_decision": "Aggiungi la decisione"})
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting.minutes_summary == "Note generali non ancora salvate."
        assert db.session.get(AgendaItem, items[0]).minutes == "Giro di tavolo."
        decision = db.session.scalar(select(Decision).where(Decision.meeting_id == meeting_id))
        assert decision.text == "Si adotta il modello condiviso."
        assert decision.agenda_item_id == items[0]


def test_adding_an_action_keeps_the_notes_and_a_wrong_action_shows_them_again(
        client, world, app):
    meeting_id = Meetings(app).past(world.reserved.slug, world.coordinator.id,
                                    invite_members=True)
    items = _items(app, meeting_id)
    client.login(world.coordinator.email)
    response = client.post(f"/incontri/{meeting_id}/verbale", {
        "note": "Bozza delle note.", f"punto-{items[1]}": "Testo del secondo punto.",
        "azione-title": "", "azione-owner_id": "", "add_action": "Aggiungi l'azione"})
    assert response.status_code == 400  # the action is incomplete: nothing is lost
    page = response.get_data(as_text=True)
    assert "Bozza delle note." in page and "Testo del secondo punto." in page
    assert "Scrivi che cosa va fatto." in page
    response = client.post(f"/incontri/{meeting_id}/verbale", {
        "note": "Bozza delle note.", f"punto-{items[1]}": "Testo del secondo punto.",
        "azione-title": "Mandare i materiali", "azione-owner_id": str(world.member.id),
        "azione-due_date": "", "add_action": "Aggiungi l'azione"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).minutes_summary == "Bozza delle note."
        assert db.session.get(AgendaItem, items[1]).minutes == "Testo del secondo punto."
        assert db.session.scalar(select(Action.title).where(
            Action.meeting_id == meeting_id)) == "Mandare i materiali"


def test_taking_off_a_decision_or_saving_keeps_what_was_typed(client, world, app):
    meeting_id = Meetings(app).past(world.reserved.slug, world.coordinator.id)
    client.login(world.coordinator.email)
    assert client.post(f"/incontri/{meeting_id}/verbale", {
        "note": "", "text": "Da togliere", "add_decision": "1"}).status_code == 302
    with app.app_context():
        decision_id = db.session.scalar(select(Decision.id))
    page = client.get(f"/incontri/{meeting_id}/verbale").get_data(as_text=True)
    assert f'form="verbale" name="remove_decision" value="{decision_id}"' in page
    assert client.post(f"/incontri/{meeting_id}/verbale", {
        "note": "Scritto prima di togliere.", "remove_decision": str(decision_id)}
    ).status_code == 302
    with app.app_context():
        assert db.session.get(Decision, decision_id) is None
        assert db.session.get(Meeting, meeting_id).minutes_summary == \
            "Scritto prima di togliere."
    # «Salva il verbale» with a decision typed but not added: saved notes, the decision kept
    response = client.post(f"/incontri/{meeting_id}/verbale", {
        "note": "Ancora note.", "text": "Decisione non ancora aggiunta"})
    assert response.status_code == 200
    assert "Decisione non ancora aggiunta" in response.get_data(as_text=True)


# --- 2. reviewers' comments reach whoever approves -------------------------------------------

def test_the_approver_sees_the_comments_next_to_the_approvals(client, world, app, factory):
    facilitator = factory.user(name="Facilitatrice Verbalizzante")
    factory.member(world.reserved, facilitator, "facilitatore")
    meeting_id = Meetings(app).past(world.reserved.slug, facilitator.id, invite_members=True)
    items = _items(app, meeting_id)
    client.login(facilitator.email)
    assert client.post(f"/incontri/{meeting_id}/presenze", {
        f"presenza-{world.member.id}": "presente",
        f"presenza-{facilitator.id}": "presente"}).status_code == 302
    assert client.post(f"/incontri/{meeting_id}/verbale", {
        "note": "", f"punto-{items[0]}": "Testo."}).status_code == 302
    assert client.post(f"/incontri/{meeting_id}/verbale/revisione", {}).status_code == 302
    client.logout()

    client.login(world.member.email)  # comments, then approves without a new comment
    assert client.post(f"/incontri/{meeting_id}/verbale/parere", {
        "comment": "Manca la data del prossimo incontro.",
        "comment_only": "Invia il commento"}).status_code == 302
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Manca la data del prossimo incontro." in page  # the reviewer reads it back
    assert client.post(f"/incontri/{meeting_id}/verbale/parere", {
        "comment": "", "approve": "Approvo il verbale"}).status_code == 302
    client.logout()

    client.login(world.coordinator.email)  # approves: sees the comment next to the approval
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Approva e pubblica nello spazio" in page
    assert "Manca la data del prossimo incontro." in page
    assert "1 approvazione e 1 commento" in page


# --- 3. dates ---------------------------------------------------------------------------------

def _yesterday() -> str:
    return (datetime.now(UTC) - timedelta(days=1)).date().isoformat()


def test_a_meeting_in_the_past_is_recorded_as_held_or_refused(client, world, app):
    client.login(world.coordinator.email)
    url = f"/spazi/{world.reserved.slug}/incontri/nuovo"
    response = client.post(url, form_data(day=_yesterday()))
    assert response.status_code == 200
    assert "Questa data è già passata" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Meeting.id)) is None
    response = client.post(url, form_data(day=_yesterday(), already_held="y"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Meeting.id)) is not None


def test_register_minutes_and_approval_wait_for_the_meeting(client, world, app):
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                    invite_members=True)  # in 2030
    items = _items(app, meeting_id)
    client.login(world.coordinator.email)
    page = client.post(f"/incontri/{meeting_id}/presenze", {
        f"presenza-{world.member.id}": "presente"}, follow_redirects=True).get_data(as_text=True)
    assert "non è ancora cominciato" in page
    page = client.post(f"/incontri/{meeting_id}/verbale", {
        "note": "Scritto in anticipo.", f"punto-{items[0]}": ""},
        follow_redirects=True).get_data(as_text=True)
    assert "non è ancora cominciato" in page
    assert "Scritto in anticipo." in page  # refused, and kept
    page = client.post(f"/incontri/{meeting_id}/verbale/revisione", {},
                       follow_redirects=True).get_data(as_text=True)
    assert "non è ancora cominciato" in page
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting.minutes_summary == "" and meeting.present_count == 0
        assert meeting.minutes_status == "bozza"


def test_an_action_is_due_after_its_meeting_unless_already_done(client, world, app):
    meeting_id = Meetings(app).past(world.reserved.slug, world.coordinator.id, days=10)
    client.login(world.coordinator.email)
    early = (datetime.now(UTC) - timedelta(days=20)).date().isoformat()
    action = {"note": "Note.", "azione-title": "Inviare il resoconto",
              "azione-owner_id": str(world.member.id), "azione-due_date": early,
              "add_action": "1"}
    response = client.post(f"/incontri/{meeting_id}/verbale", action)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "non può scadere prima dell&#39;incontro" in page and "Note." in page
    assert client.post(f"/incontri/{meeting_id}/verbale",
                       {**action, "azione-done": "y"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Action.status).where(
            Action.meeting_id == meeting_id)) == "fatta"


# --- 4. several facilitators without Ctrl-click -----------------------------------------------

def test_facilitators_are_checkboxes_of_the_space_members(client, world, app, factory):
    colleague = factory.user(name="Facilitatrice Seconda")
    factory.member(world.reserved, colleague)
    client.login(world.coordinator.email)
    url = f"/spazi/{world.reserved.slug}/incontri/nuovo"
    page = client.get(url).get_data(as_text=True)
    assert "Ctrl" not in page
    boxes = set(re.findall(r'name="facilitator_ids" type="checkbox" value="(\d+)"', page))
    assert boxes == {str(p.id) for p in (world.coordinator, world.member, colleague)}
    response = client.post(url, {**form_data(), "facilitator_ids": [
        str(world.coordinator.id), str(colleague.id)]})
    assert response.status_code == 302
    with app.app_context():
        meeting_id = db.session.scalar(select(Meeting.id))
        assert set(db.session.scalars(select(MeetingFacilitator.user_id).where(
            MeetingFacilitator.meeting_id == meeting_id))) == {world.coordinator.id, colleague.id}
    response = client.post(url, {**form_data(), "facilitator_ids": [str(world.outsider.id)]})
    assert response.status_code == 200  # not among the choices


# --- 5. the register of the whole space ------------------------------------------------------

def test_the_register_lists_the_space_and_takes_who_came_uninvited(client, world, app, factory):
    colleague = factory.user(name="Socia Non Invitata")
    factory.member(world.reserved, colleague)
    meeting_id = Meetings(app).past(world.reserved.slug, world.coordinator.id,
                                    invite_ids=[world.member.id])
    client.login(world.coordinator.email)
    page = client.get(f"/incontri/{meeting_id}/presenze").get_data(as_text=True)
    assert f'name="presenza-{colleague.id}"' in page  # a member, not invited
    assert f'name="presenza-{world.outsider.id}"' not in page
    response = client.post(f"/incontri/{meeting_id}/presenze", {
        f"presenza-{world.member.id}": "presente", f"presenza-{colleague.id}": "presente",
        "altri": "nessuno@example.org"})
    assert response.status_code == 400
    assert "Non trovo queste persone: nessuno@example.org." in response.get_data(as_text=True)
    assert client.post(f"/incontri/{meeting_id}/presenze", {
        f"presenza-{world.member.id}": "presente", f"presenza-{colleague.id}": "presente",
        "altri": world.outsider.email}).status_code == 302
    with app.app_context():
        present = set(db.session.scalars(select(Attendance.user_id).where(
            Attendance.meeting_id == meeting_id, Attendance.presence == "presente")))
        assert present == {world.member.id, colleague.id, world.outsider.id}
        assert db.session.get(Meeting, meeting_id).present_count == 3
        assert db.session.scalar(select(MeetingInvitation.id).where(
            MeetingInvitation.meeting_id == meeting_id,
            MeetingInvitation.user_id == world.outsider.id)) is not None
    client.logout()
    client.login(world.outsider.email)  # came from outside: sees the meeting
    assert client.get(f"/incontri/{meeting_id}").status_code == 200


# --- 6. invite members one by one --------------------------------------------------------------

def test_members_are_invited_one_by_one_from_a_list_with_a_filter(client, world, app, factory,
                                                                   smtp):
    colleague = factory.user(name="Socia Da Non Invitare")
    factory.member(world.reserved, colleague)
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id)
    client.login(world.coordinator.email)
    page = client.get(f"/incontri/{meeting_id}/invita").get_data(as_text=True)
    boxes = set(re.findall(r'name="member_ids" type="checkbox" value="(\d+)"', page))
    assert boxes == {str(p.id) for p in (world.coordinator, world.member, colleague)}
    assert 'data-checklist-filter="member_ids-scelte" hidden' in page  # shown by the script
    assert client.post(f"/incontri/{meeting_id}/invita", {
        "members": "", "member_ids": [str(world.member.id)]}).status_code == 302
    with app.app_context():
        assert set(db.session.scalars(select(MeetingInvitation.user_id).where(
            MeetingInvitation.meeting_id == meeting_id))) == {world.member.id}
    assert smtp.to(world.member.email) and not smtp.to(colleague.email)
    page = client.get(f"/incontri/{meeting_id}/invita").get_data(as_text=True)
    assert f'name="member_ids" type="checkbox" value="{world.member.id}"' not in page
