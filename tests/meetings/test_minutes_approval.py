"""Four eyes on the minutes: nobody approves minutes they wrote, and approved minutes are
locked: a change (text, register, decisions, actions) is an amendment that goes through
review and approval again, while readers keep the approved version."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import Action, AgendaItem, Meeting, MinutesVersion
from tests.meetings.helpers import Meetings
from tests.meetings.test_calendar import meeting_input


def _status(app, meeting_id):
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        return meeting.minutes_status, meeting.minutes_approved_at is not None


def _items(app, meeting_id):
    with app.app_context():
        return db.session.scalars(select(AgendaItem.id).where(
            AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position)).all()


def _register(client, meeting_id, present=(), excused=()):
    data = {f"presenza-{p.id}": "presente" for p in present}
    data.update({f"presenza-{p.id}": "giustificato" for p in excused})
    assert client.post(f"/incontri/{meeting_id}/presenze", data).status_code == 302


def _write(client, meeting_id, items, text):
    assert client.post(f"/incontri/{meeting_id}/verbale", {
        "note": "", f"punto-{items[0]}": text}).status_code == 302


def test_the_author_may_not_approve_what_they_wrote(client, world, app, factory):
    facilitator = factory.user(name="Facilitatrice Scrivente")
    factory.member(world.reserved, facilitator, "facilitatore")
    meeting_id = Meetings(app).past(world.reserved.slug, facilitator.id, invite_members=True)
    items = _items(app, meeting_id)
    client.login(facilitator.email)  # plans, runs and writes the meeting: no minute-taker named
    _register(client, meeting_id, present=[facilitator, world.member])
    _write(client, meeting_id, items, "Verbale della facilitatrice.")
    assert client.post(f"/incontri/{meeting_id}/verbale/revisione", {}).status_code == 302
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Approva e pubblica nello spazio" not in page
    assert "Hai scritto tu questo verbale" in page
    for name in ("Coordinatrice Alleanza", "Referente ATS", "Amministratrice Regionale"):
        assert name in page  # who may approve it instead
    page = client.post(f"/incontri/{meeting_id}/verbale/approva", {},
                       follow_redirects=True).get_data(as_text=True)
    assert "Non puoi approvare un verbale che hai scritto" in page
    assert _status(app, meeting_id) == ("in_revisione", False)
    client.logout()

    client.login(world.member.email)  # a participant reviews, and cannot approve formally
    assert "Approva e pubblica nello spazio" not in client.get(
        f"/incontri/{meeting_id}").get_data(as_text=True)
    assert client.post(f"/incontri/{meeting_id}/verbale/approva", {}).status_code == 403
    client.logout()

    client.login(world.coordinator.email)  # the space's coordinator wrote nothing: approves
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Approva e pubblica nello spazio" in page
    assert client.post(f"/incontri/{meeting_id}/verbale/approva", {}).status_code == 302
    assert _status(app, meeting_id) == ("approvato", True)


def test_the_minute_taker_may_not_approve_and_the_page_says_when_nobody_else_may(
        client, world, app, factory):
    alone = factory.user(name="Coordinatrice Sola")
    space = factory.space(name="Spazio con una sola guida")
    factory.member(space, alone, "coordinatore")
    factory.member(space, world.member)
    with app.app_context():  # no regional admin either
        db.session.get(User, world.admin.id).active = False
        db.session.commit()
    meeting_id = Meetings(app).past(space.slug, alone.id, invite_members=True,
                                    minute_taker_id=alone.id)
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        services.send_minutes_for_review(meeting, db.session.get(User, alone.id))
        db.session.commit()
    client.login(alone.email)
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Approva e pubblica nello spazio" not in page
    assert "Nessun altro può approvare questo verbale" in page
    client.post(f"/incontri/{meeting_id}/verbale/approva", {})
    assert _status(app, meeting_id) == ("in_revisione", False)


def test_approved_minutes_change_only_through_an_approved_amendment(client, world, app, factory):
    reader = factory.user(name="Socia Lettrice")
    factory.member(world.reserved, reader)
    meeting_id = Meetings(app).past(world.reserved.slug, world.coordinator.id,
                                    invite_members=True, minute_taker_id=world.coordinator.id)
    items = _items(app, meeting_id)
    client.login(world.coordinator.email)
    _register(client, meeting_id, present=[world.coordinator, world.member], excused=[reader])
    _write(client, meeting_id, items, "Testo approvato.")
    client.post(f"/incontri/{meeting_id}/azioni", {"title": "Azione approvata",
                                                   "owner_id": str(world.member.id)})
    client.post(f"/incontri/{meeting_id}/verbale/revisione", {})
    client.logout()
    client.login(world.referent.email)
    assert client.post(f"/incontri/{meeting_id}/verbale/approva", {}).status_code == 302
    client.logout()

    client.login(world.coordinator.email)  # a correction opens an amendment
    page = client.get(f"/incontri/{meeting_id}/verbale").get_data(as_text=True)
    assert "apri una modifica" in page
    _write(client, meeting_id, items, "Testo corretto.")
    assert _status(app, meeting_id) == ("bozza", True)
    client.post(f"/incontri/{meeting_id}/decisioni", {"text": "Decisione nuova"})
    with app.app_context():
        action_id = db.session.scalar(select(Action.id).where(Action.title == "Azione approvata"))
    client.post(f"/incontri/{meeting_id}/azioni/{action_id}/elimina", {})
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Testo corretto." in page and "Decisione nuova" in page
    assert "Azione approvata" not in page
    client.logout()

    def reader_sees_the_approved_version():
        page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
        assert "Testo approvato." in page and "Azione approvata" in page
        assert "Testo corretto." not in page and "Decisione nuova" not in page
        assert "Verbale approvato" in page
        printable = client.get(f"/incontri/{meeting_id}/stampa", follow_redirects=True)
        assert printable.status_code == 200
        assert "Testo approvato." in printable.get_data(as_text=True)
        assert "Testo corretto." not in printable.get_data(as_text=True)

    client.login(reader.email)
    reader_sees_the_approved_version()
    client.logout()

    client.login(world.coordinator.email)
    assert client.post(f"/incontri/{meeting_id}/verbale/revisione", {}).status_code == 302
    assert _status(app, meeting_id) == ("in_revisione", True)
    client.post(f"/incontri/{meeting_id}/verbale/approva", {})  # the author: refused
    assert _status(app, meeting_id) == ("in_revisione", True)
    client.logout()

    client.login(world.member.email)  # a participant reviews the amendment
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Testo corretto." in page and "Il tuo parere sul verbale" in page
    client.logout()

    client.login(reader.email)  # not a participant: still the approved version, and its history
    reader_sees_the_approved_version()
    history = client.get(f"/incontri/{meeting_id}/verbale/versioni").get_data(as_text=True)
    assert "Versione 2" in history and "Versione 3" not in history
    assert client.get(f"/incontri/{meeting_id}/verbale/versioni/3").status_code == 404
    assert client.get(f"/incontri/{meeting_id}/verbale/versioni/2").status_code == 200
    client.logout()

    client.login(world.referent.email)
    assert "Approva e pubblica nello spazio" in client.get(
        f"/incontri/{meeting_id}").get_data(as_text=True)
    assert client.post(f"/incontri/{meeting_id}/verbale/approva", {}).status_code == 302
    client.logout()

    client.login(reader.email)
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Testo corretto." in page and "Decisione nuova" in page
    assert "Testo approvato." not in page and "Azione approvata" not in page
    with app.app_context():
        steps = db.session.execute(select(MinutesVersion.number, MinutesVersion.status).where(
            MinutesVersion.meeting_id == meeting_id).order_by(MinutesVersion.number)).all()
        assert [tuple(s) for s in steps] == [(1, "in_revisione"), (2, "approvato"),
                                             (3, "in_revisione"), (4, "approvato")]


def test_every_change_of_approved_minutes_opens_an_amendment_but_progress_does_not(
        world, app):
    meeting_id = Meetings(app).past(world.reserved.slug, world.coordinator.id,
                                    invite_members=True)
    with app.app_context():
        coordinator = db.session.get(User, world.coordinator.id)
        referent = db.session.get(User, world.referent.id)
        meeting = db.session.get(Meeting, meeting_id)
        action = services.add_action(meeting, coordinator, "Un'azione", world.member.id, None)
        decision = services.add_decision(meeting, coordinator, "Una decisione")

        def approved():
            services.send_minutes_for_review(meeting, coordinator)
            services.approve_minutes(meeting, referent)
            assert meeting.minutes_status == "approvato"

        approved()
        services.update_action(action, status="fatta")  # the owner's progress: no amendment
        assert meeting.minutes_status == "approvato"
        for change in (
                lambda: services.add_decision(meeting, coordinator, "Un'altra"),
                lambda: services.remove_decision(meeting, coordinator, decision.id),
                lambda: services.add_action(meeting, coordinator, "Nuova", None, None),
                lambda: services.reschedule_action(action, coordinator, date(2031, 2, 1)),
                lambda: services.record_attendance(meeting, coordinator, {
                    world.member.id: ("presente", "")}),
                lambda: services.update_meeting(meeting, coordinator, replace(
                    meeting_input(meeting), agenda=[services.AgendaRow("Un punto nuovo")] * 3)),
                lambda: services.remove_action(meeting, coordinator, action.id)):
            change()
            assert meeting.minutes_status == "bozza"
            assert meeting.minutes_approved_at is not None
            approved()
        db.session.commit()
