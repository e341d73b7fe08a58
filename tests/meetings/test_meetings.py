"""Planning a meeting, inviting and answering, the register, minutes with decisions and actions,
their review and approval, «Le mie azioni», feedback and materials, through the pages."""
from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.meetings import services
from cop.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingFacilitator,
    MeetingInvitation,
    MinutesVersion,
)
from tests.meetings.helpers import Meetings, form_data


def _plan(client, slug, **overrides):
    return client.post(f"/spazi/{slug}/incontri/nuovo", form_data(**overrides))


def _meeting(app, meeting_id=None):
    with app.app_context():
        query = select(Meeting) if meeting_id is None else select(Meeting).where(
            Meeting.id == meeting_id)
        meeting = db.session.scalar(query.order_by(Meeting.id))
        db.session.expunge(meeting)
        return meeting


def test_a_coordinator_plans_a_meeting_with_its_agenda(client, world, app):
    client.login(world.coordinator.email)
    response = _plan(client, world.reserved.slug)
    assert response.status_code == 302
    meeting = _meeting(app)
    # 10:00 in Rome in December is 09:00 UTC
    assert meeting.starts_at == datetime(2030, 12, 10, 9, 0, tzinfo=UTC)
    assert meeting.ends_at == datetime(2030, 12, 10, 11, 0, tzinfo=UTC)
    with app.app_context():
        items = db.session.scalars(select(AgendaItem).order_by(AgendaItem.position)).all()
        assert [i.title for i in items] == ["Benvenuto e giro di presentazioni",
                                            "Tre esperienze a confronto", "Prossimi passi"]
        assert [i.planned_minutes for i in items] == [15, 60, None]
        assert db.session.scalars(select(MeetingFacilitator.user_id)).all() == [
            world.coordinator.id]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Laboratorio sui servizi per caregiver" in page
    assert "10:00" in page and "12:00" in page and "ATS Bergamo, sala Manzoni" in page
    assert "Tre esperienze a confronto" in page and "<strong>Alleanze</strong>" in page
    space_list = client.get(f"/spazi/{world.reserved.slug}/incontri/").get_data(as_text=True)
    assert "Laboratorio sui servizi per caregiver" in space_list
    home = client.get(f"/spazi/{world.reserved.slug}/").get_data(as_text=True)
    assert "Prossimi incontri" in home and "Laboratorio sui servizi per caregiver" in home


def test_bad_times_and_missing_links_are_explained_and_nothing_is_lost(client, world, app):
    client.login(world.coordinator.email)
    page = _plan(client, world.reserved.slug, end_time="09:00").get_data(as_text=True)
    assert "La fine deve venire dopo l&#39;inizio." in page
    assert 'value="Laboratorio sui servizi per caregiver"' in page
    assert 'value="Tre esperienze a confronto"' in page
    # 02:30 on the last Sunday of March 2031 does not exist in Italy
    page = _plan(client, world.reserved.slug, day="2031-03-30", start_time="02:30",
                 end_time="04:00").get_data(as_text=True)
    assert "Quest&#39;ora non esiste quel giorno" in page
    page = _plan(client, world.reserved.slug, mode="online", place="").get_data(as_text=True)
    assert "Per un incontro online o ibrido serve il link." in page
    page = _plan(client, world.reserved.slug, mode="online", place="",
                 online_url="non-un-link").get_data(as_text=True)
    assert "Scrivi un indirizzo web completo" in page
    page = _plan(client, world.reserved.slug, day="31/02/2030").get_data(as_text=True)
    assert "Non è una data valida" in page
    with app.app_context():
        assert db.session.scalar(select(Meeting)) is None


def test_who_may_plan(client, world, factory, app):
    client.login(world.member.email)
    assert _plan(client, world.reserved.slug).status_code == 403
    facilitator = factory.user(name="Facilitatrice Alleanza")
    factory.member(world.reserved, facilitator, "facilitatore")
    client.logout()
    client.login(facilitator.email)
    assert _plan(client, world.reserved.slug).status_code == 302
    client.logout()
    client.login(world.referent.email)  # the ATS referent manages the Alleanza's space
    assert _plan(client, world.reserved.slug, title="Tavolo ATS").status_code == 302


def test_a_weekly_series_keeps_the_local_time_across_the_clock_change(client, world, app):
    client.login(world.coordinator.email)
    response = _plan(client, world.reserved.slug, day="2030-10-20", repeat="settimanale",
                     occurrences="3")
    assert response.status_code == 302
    with app.app_context():
        meetings = db.session.scalars(select(Meeting).order_by(Meeting.starts_at)).all()
        # 20 October: summer time (UTC+2); 27 October 2030 is the last Sunday: winter (UTC+1)
        assert [m.starts_at.hour for m in meetings] == [8, 9, 9]
        assert len({m.series_id for m in meetings}) == 1
        # the template's three items; after the first meeting, the series' two come first
        # (the approval of the previous minutes, the open actions: tests/meetings/test_series.py)
        assert [len(db.session.scalars(select(AgendaItem).where(
            AgendaItem.meeting_id == m.id)).all()) for m in meetings] == [3, 5, 5]


def test_invitations_answers_and_an_invited_outsider(client, world, app, smtp):
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id)
    client.login(world.coordinator.email)
    response = client.post(f"/incontri/{meeting_id}/invita", {
        "members": "tutti", "people": f"{world.outsider.email}, nessuno@esempio.it",
        "organisations": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Non trovo queste persone: nessuno@esempio.it" in page
    assert f"{world.outsider.email}, nessuno@esempio.it" in page  # kept
    assert client.post(f"/incontri/{meeting_id}/invita", {
        "members": "tutti", "people": world.outsider.email}).status_code == 302
    meeting = _meeting(app, meeting_id)
    assert meeting.invited_count == 3  # coordinator, member, outsider
    page = client.get(f"/incontri/{meeting_id}/invita").get_data(as_text=True)
    assert "Persona Esterna" in page and "non ha risposto" in page
    client.logout()

    client.login(world.member.email)
    assert client.post(f"/incontri/{meeting_id}/risposta", {"answer": "forse"}).status_code == 302
    assert client.post(f"/incontri/{meeting_id}/risposta", {"answer": "si"}).status_code == 302
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Hai risposto: Partecipo" in page
    client.logout()

    client.login(world.outsider.email)
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Tavolo di coordinamento" in page and "Sei invitato" in page
    assert client.post(f"/incontri/{meeting_id}/risposta", {"answer": "no"}).status_code == 302
    # the private space itself stays closed to the invited outsider, and so do its other meetings
    assert client.get(f"/spazi/{world.reserved.slug}/").status_code == 404
    other = Meetings(app).make(world.reserved.slug, world.coordinator.id, title="Riservato")
    assert client.get(f"/incontri/{other}").status_code == 404
    meeting = _meeting(app, meeting_id)
    assert (meeting.yes_count, meeting.no_count, meeting.maybe_count) == (1, 1, 0)


def test_an_answer_must_be_one_of_the_three(client, world, app):
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                    invite_members=True)
    client.login(world.member.email)
    response = client.post(f"/incontri/{meeting_id}/risposta", {"answer": "boh"})
    assert response.status_code == 400
    assert "Non è una opzione valida" in response.get_data(as_text=True)
    assert _meeting(app, meeting_id).yes_count == 0


def _past_meeting_with_register(app, world):
    meetings = Meetings(app)
    meeting_id = meetings.past(world.reserved.slug, world.coordinator.id, invite_members=True,
                               minute_taker_id=world.coordinator.id)
    return meeting_id


def test_register_minutes_review_and_approval(client, world, app, factory, smtp):
    other = factory.user(name="Socia Assente")
    factory.member(world.reserved, other)
    meeting_id = _past_meeting_with_register(app, world)
    with app.app_context():
        items = db.session.scalars(select(AgendaItem.id).where(
            AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position)).all()
    client.login(world.coordinator.email)
    response = client.post(f"/incontri/{meeting_id}/presenze", {
        f"presenza-{world.coordinator.id}": "presente", f"ente-{world.coordinator.id}": "",
        f"presenza-{world.member.id}": "presente", f"ente-{world.member.id}": "Comune di Albino",
        f"presenza-{other.id}": "giustificato"})
    assert response.status_code == 302
    assert _meeting(app, meeting_id).present_count == 2
    with app.app_context():
        row = db.session.scalar(select(Attendance).where(Attendance.user_id == world.member.id))
        assert row.organisation_name == "Comune di Albino"

    assert client.post(f"/incontri/{meeting_id}/verbale", {
        "note": "Incontro **partecipato**.", f"punto-{items[0]}": "Si parte dai bisogni.",
        f"punto-{items[1]}": "Due proposte."}).status_code == 302
    assert client.post(f"/incontri/{meeting_id}/decisioni", {
        "text": "Mappare i servizi per caregiver entro marzo", "item_id": str(items[1])
    }).status_code == 302
    assert client.post(f"/incontri/{meeting_id}/azioni", {
        "title": "Raccogliere le schede dei servizi", "owner_id": str(world.member.id),
        "due_date": "2031-01-15", "item_id": str(items[1])}).status_code == 302
    page = client.post(f"/incontri/{meeting_id}/azioni", {
        "title": "", "owner_id": ""}).get_data(as_text=True)
    assert "Scrivi che cosa va fatto." in page and "Scegli chi se ne occupa." in page

    client.logout()
    client.login(world.member.email)  # present, but the minutes are a draft
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Si parte dai bisogni." not in page and "sarà pubblicato qui" in page
    assert client.get(f"/incontri/{meeting_id}/stampa").status_code == 403
    client.logout()

    client.login(world.coordinator.email)
    smtp.messages.clear()
    assert client.post(f"/incontri/{meeting_id}/verbale/revisione", {}).status_code == 302
    assert smtp.to(world.member.email), "present participants are asked to read the minutes"
    assert not smtp.to(other.email)
    client.logout()

    client.login(other.email)  # excused: not a participant, the minutes are not approved
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Si parte dai bisogni." not in page
    assert client.post(f"/incontri/{meeting_id}/verbale/parere", {
        "comment": "x", "comment_only": "1"}).status_code == 403
    client.logout()

    client.login(world.member.email)
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Si parte dai bisogni." in page and "Il tuo parere sul verbale" in page
    assert "Mappare i servizi per caregiver entro marzo" in page
    response = client.post(f"/incontri/{meeting_id}/verbale/parere", {"comment": "",
                                                                      "comment_only": "1"})
    assert response.status_code == 400
    assert "Scrivi un commento, o approva il verbale." in response.get_data(as_text=True)
    assert client.post(f"/incontri/{meeting_id}/verbale/parere", {
        "comment": "Aggiungere la data del prossimo incontro.", "approve": "1"}).status_code == 302
    assert client.post(f"/incontri/{meeting_id}/verbale/approva", {}).status_code == 403
    client.logout()

    client.login(world.coordinator.email)
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Membro Alleanza" in page and "Aggiungere la data del prossimo incontro." in page
    # the coordinator wrote the minutes: somebody else approves them
    assert client.post(f"/incontri/{meeting_id}/verbale/approva", {}).status_code == 302
    assert _meeting(app, meeting_id).minutes_status == "in_revisione"
    client.logout()
    client.login(world.referent.email)
    assert client.post(f"/incontri/{meeting_id}/verbale/approva", {}).status_code == 302
    assert _meeting(app, meeting_id).minutes_status == "approvato"
    client.logout()
    # a correction after approval is an amendment, reviewed and approved in turn; the approved
    # text stays in the history
    client.login(world.coordinator.email)
    assert client.post(f"/incontri/{meeting_id}/verbale", {
        "note": "Incontro partecipato, corretto.", f"punto-{items[0]}": "Si parte dai bisogni.",
        f"punto-{items[1]}": "Due proposte e una terza."}).status_code == 302
    assert client.post(f"/incontri/{meeting_id}/verbale/revisione", {}).status_code == 302
    client.logout()
    client.login(world.referent.email)
    assert client.post(f"/incontri/{meeting_id}/verbale/approva", {}).status_code == 302
    client.logout()

    client.login(other.email)  # approved minutes are read by whoever sees the meeting
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Due proposte e una terza." in page and "Verbale approvato" in page
    page = client.get(f"/incontri/{meeting_id}/verbale/versioni").get_data(as_text=True)
    assert "Versione 4" in page and "Versione 1" in page
    with app.app_context():
        numbers = db.session.execute(select(MinutesVersion.number, MinutesVersion.status).where(
            MinutesVersion.meeting_id == meeting_id).order_by(MinutesVersion.number)).all()
        assert [tuple(n) for n in numbers] == [(1, "in_revisione"), (2, "approvato"),
                                               (3, "in_revisione"), (4, "approvato")]
    page = client.get(f"/incontri/{meeting_id}/verbale/versioni/2").get_data(as_text=True)
    assert "Due proposte." in page and "una terza" not in page
    printable = client.get(f"/incontri/{meeting_id}/stampa").get_data(as_text=True)
    assert "Comune di Albino" in printable and "Raccogliere le schede dei servizi" in printable
    assert "Mappare i servizi per caregiver entro marzo" in printable
    assert "Assente giustificato" in printable


def test_my_actions_and_the_next_agenda(client, world, app):
    meetings = Meetings(app)
    past_id = _past_meeting_with_register(app, world)
    client.login(world.coordinator.email)
    client.post(f"/incontri/{past_id}/azioni", {"title": "Scrivere al Comune",
                                                "owner_id": str(world.member.id),
                                                "due_date": "2031-01-15"})
    client.post(f"/incontri/{past_id}/azioni", {"title": "Preparare il questionario",
                                                "owner_id": str(world.coordinator.id)})
    next_id = meetings.make(world.reserved.slug, world.coordinator.id, title="Secondo tavolo")
    page = client.get(f"/incontri/{next_id}").get_data(as_text=True)
    assert "le azioni ancora aperte dello spazio" in page
    assert "Scrivere al Comune" in page and "Preparare il questionario" in page
    client.logout()

    client.login(world.member.email)
    page = client.get("/azioni/").get_data(as_text=True)
    assert "Scrivere al Comune" in page and "Preparare il questionario" not in page
    with app.app_context():
        action_id = db.session.scalar(select(Action.id).where(Action.title == "Scrivere al Comune"))
        other_id = db.session.scalar(select(Action.id).where(
            Action.title == "Preparare il questionario"))
    # the status select is named for the action, but only for screen readers: the row shows
    # the title already, and a visible label repeated it in the table's narrowest column
    assert (f'<label class="visually-hidden" for="stato-{action_id}">'
            "Stato di «Scrivere al Comune»</label>") in page
    # another's action in minutes still in draft: not seen by the member
    assert client.post(f"/azioni/{other_id}", {"status": "fatta"}).status_code == 404
    assert client.post(f"/azioni/{action_id}", {"status": "fatta",
                                                "next": "/azioni/"}).status_code == 302
    page = client.get("/azioni/").get_data(as_text=True)
    assert "Scrivere al Comune" not in page
    assert "Scrivere al Comune" in client.get("/azioni/?tutte=1").get_data(as_text=True)
    page = client.get(f"/incontri/{next_id}").get_data(as_text=True)
    assert "Scrivere al Comune" not in page and "Preparare il questionario" not in page
    with app.app_context():  # once the minutes are approved, the member sees it, not updates it
        meeting = db.session.get(Meeting, past_id)
        services.send_minutes_for_review(meeting, db.session.get(User, world.coordinator.id))
        services.approve_minutes(meeting, db.session.get(User, world.referent.id))
        db.session.commit()
    page = client.get(f"/incontri/{next_id}").get_data(as_text=True)
    assert "Scrivere al Comune" not in page and "Preparare il questionario" in page
    assert client.post(f"/azioni/{other_id}", {"status": "fatta"}).status_code == 403
    client.logout()

    client.login(world.outsider.email)
    assert client.post(f"/azioni/{action_id}", {"status": "aperta"}).status_code == 404
    assert "Scrivere al Comune" not in client.get("/azioni/?tutte=1").get_data(as_text=True)


def test_feedback_from_participants_summarised_for_the_facilitator(client, world, app, factory):
    meeting_id = _past_meeting_with_register(app, world)
    client.login(world.member.email)
    assert client.get(f"/incontri/{meeting_id}/riscontro").status_code == 403  # not "si" yet
    # answering is over once the meeting has ended
    assert client.post(f"/incontri/{meeting_id}/risposta", {"answer": "si"}).status_code == 403
    client.logout()
    with app.app_context():
        invitation = db.session.scalar(select(MeetingInvitation).where(
            MeetingInvitation.meeting_id == meeting_id,
            MeetingInvitation.user_id == world.member.id))
        invitation.answer = "si"
        db.session.commit()
    client.login(world.member.email)
    response = client.post(f"/incontri/{meeting_id}/riscontro", {"usefulness": "",
                                                                 "will_apply": "La mappa"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Scegli un voto da 1 a 5." in page and "La mappa" in page
    assert client.post(f"/incontri/{meeting_id}/riscontro", {
        "usefulness": "4", "will_apply": "La mappa dei servizi nel mio Comune"}).status_code == 302
    client.logout()
    client.login(world.coordinator.email)
    client.post(f"/incontri/{meeting_id}/presenze", {
        f"presenza-{world.coordinator.id}": "presente",
        f"presenza-{world.member.id}": "presente"})
    client.post(f"/incontri/{meeting_id}/riscontro", {"usefulness": "2", "will_apply": ""})
    page = client.get(f"/incontri/{meeting_id}/riscontro").get_data(as_text=True)
    assert "2 riscontri" in page and "utilità media 3,0 su 5" in page
    assert "La mappa dei servizi nel mio Comune" in page


def test_materials_follow_the_meeting(client, world, app, factory):
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                    invite_ids=[world.outsider.id])
    with app.app_context():
        item_id = db.session.scalar(select(AgendaItem.id).where(
            AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position))
    client.login(world.coordinator.email)
    response = client.post(f"/incontri/{meeting_id}/materiali", {
        "files": (BytesIO(b"%PDF-1.4\n%fake but signed\n"), "programma.pdf"),
        "item_id": str(item_id)}, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "programma.pdf" in page
    from cop.files.models import Attachment

    with app.app_context():
        attachment = db.session.scalar(select(Attachment))
        url = f"/allegati/{attachment.id}/{attachment.filename}"
    assert client.get(url).status_code == 200
    client.logout()
    client.login(world.outsider.email)  # invited to the meeting: its materials too
    assert client.get(url).status_code == 200
    client.logout()
    stranger = factory.user(name="Altra Persona")
    client.login(stranger.email)
    assert client.get(url).status_code == 404
    assert client.get(f"/incontri/{meeting_id}").status_code == 404


def test_cancelling_a_meeting(client, world, app):
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                    invite_members=True)
    client.login(world.member.email)
    assert client.post(f"/incontri/{meeting_id}/annulla", {"reason": "x"}).status_code == 403
    client.logout()
    client.login(world.coordinator.email)
    assert client.post(f"/incontri/{meeting_id}/annulla", {
        "reason": "Sala non disponibile"}).status_code == 302
    meeting = _meeting(app, meeting_id)
    assert meeting.status == "annullato" and meeting.sequence == 1
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Questo incontro è stato annullato." in page
    client.logout()
    client.login(world.member.email)
    assert client.post(f"/incontri/{meeting_id}/risposta", {"answer": "si"}).status_code == 403


def test_editing_keeps_agenda_items_and_raises_the_sequence_only_for_calendar_changes(
        client, world, app):
    client.login(world.coordinator.email)
    _plan(client, world.reserved.slug)
    meeting = _meeting(app)
    with app.app_context():
        first_item = db.session.scalar(select(AgendaItem.id).where(AgendaItem.position == 0))
    form = client.get(f"/incontri/{meeting.id}/modifica").get_data(as_text=True)
    assert 'value="Tre esperienze a confronto"' in form and 'value="2030-12-10"' in form
    assert client.post(f"/incontri/{meeting.id}/modifica", form_data(
        description="Nuova descrizione", **{"agenda-1-title": "Quattro esperienze"})
    ).status_code == 302
    assert _meeting(app, meeting.id).sequence == 0
    assert client.post(f"/incontri/{meeting.id}/modifica", form_data(
        start_time="11:00", end_time="13:00", **{"agenda-1-title": "Quattro esperienze"})
    ).status_code == 302
    changed = _meeting(app, meeting.id)
    assert changed.sequence == 1 and changed.starts_at.hour == 10
    with app.app_context():
        assert db.session.scalar(select(AgendaItem.id).where(AgendaItem.position == 0)) == \
            first_item
        assert db.session.scalar(select(AgendaItem.title).where(AgendaItem.position == 1)) == \
            "Quattro esperienze"


def test_the_meeting_page_runs_a_constant_number_of_statements(client, world, app, factory,
                                                               count_queries):
    meetings = Meetings(app)

    def measure(meeting_id):
        client.get(f"/incontri/{meeting_id}")
        with count_queries() as statements:
            page = client.get(f"/incontri/{meeting_id}")
        assert page.status_code == 200
        return len(statements)

    small = meetings.past(world.reserved.slug, world.coordinator.id, items=1,
                          invite_members=True)
    people = [factory.user() for _ in range(6)]
    for person in people:
        factory.member(world.reserved, person)
    large = meetings.past(world.reserved.slug, world.coordinator.id, items=8,
                          invite_members=True)
    client.login(world.coordinator.email)
    for meeting_id, owners in ((small, people[:1]), (large, people)):
        client.post(f"/incontri/{meeting_id}/presenze", {
            f"presenza-{p.id}": "presente" for p in owners})
        for n, owner in enumerate(owners):
            client.post(f"/incontri/{meeting_id}/azioni", {"title": f"Azione {n}",
                                                           "owner_id": str(owner.id)})
            client.post(f"/incontri/{meeting_id}/decisioni", {"text": f"Decisione {n}"})
        client.post(f"/incontri/{meeting_id}/verbale/revisione", {})
        with app.app_context():  # by somebody who did not write them
            services.approve_minutes(db.session.get(Meeting, meeting_id),
                                     db.session.get(User, world.referent.id))
            db.session.commit()
    assert measure(small) == measure(large)
    assert measure(large) <= 20
    with count_queries() as statements:
        client.get("/azioni/")
    few = len(statements)
    with count_queries() as statements:
        client.get(f"/spazi/{world.reserved.slug}/incontri/")
    assert len(statements) <= 12 and few <= 10
