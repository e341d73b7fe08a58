"""Decisions on a meeting's agenda item (the ATS's comitato), who sees them, who is told, the
reminder before closing, the data export, the thread page's statements."""
from __future__ import annotations

import html
import json
import re
from datetime import timedelta

from sqlalchemy import func, select, update

from cop.auth.models import User
from cop.database import utcnow
from cop.decisions import services
from cop.decisions.models import GroupDecision
from cop.extensions import db
from cop.meetings.models import AgendaItem
from cop.meetings.models import Decision as MeetingDecision
from cop.notifications.models import Notification
from cop.ops.models import JobRun
from cop.spaces.models import Space
from tests.decisions import helpers
from tests.meetings.helpers import Meetings


def told(app, user_id, kind) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(
            Notification.user_id == user_id, Notification.kind == kind))


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_comitato_decides_on_an_agenda_item_and_the_outcome_goes_into_the_minutes(
        app, world, client, new_client, smtp):
    """The ATS's comitato: the coordinator runs the meeting and opens a proposal on its second
    item; a member invited takes a position; the outcome enters the minutes of that item."""
    meeting_id = Meetings(app).past(world.reserved.slug, world.coordinator.id,
                                    title="Comitato di giugno", invite_members=True)
    client.login(world.coordinator.email)
    meeting_page = text(client.get(f"/incontri/{meeting_id}"))
    assert "Apri una decisione o un sondaggio" in meeting_page
    with app.app_context():
        item = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
                                  .order_by(AgendaItem.position.desc())).first()
        item_id, item_title = item.id, item.title
    url = f"/incontri/{meeting_id}/decisioni/nuova"
    missing = client.post(url, helpers.form_data(item_id=""))
    assert missing.status_code == 400
    assert "Scegli il punto dell'ordine del giorno." in text(missing)
    response = client.post(url, helpers.form_data(
        item_id=str(item_id), title="Approvare il piano territoriale 2027"))
    assert response.status_code == 302
    decision_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert told(app, world.member.id, "decision_opened") == 1

    member = new_client()
    member.login(world.member.email)
    shown = text(member.get(f"/decisioni/{decision_id}"))
    assert f"punto «{item_title}»" in shown and "Comitato di giugno" in shown
    ids = helpers.options(app, decision_id)
    member.post(f"/decisioni/{decision_id}/posizione", {"choice": ids["accordo"],
                                                        "reason": "Il piano è condiviso."})
    # The member neither closes it nor writes its outcome: the facilitators do.
    assert member.post(f"/decisioni/{decision_id}/chiudi").status_code == 403
    assert member.post(f"/decisioni/{decision_id}/esito", {"outcome": "x"}).status_code == 403
    client.post(f"/decisioni/{decision_id}/chiudi")
    response = client.post(f"/decisioni/{decision_id}/esito",
                           {"outcome": "Approvato all'unanimità."})
    assert response.status_code == 302
    with app.app_context():
        decision = db.session.get(GroupDecision, decision_id)
        minutes = db.session.get(MeetingDecision, decision.meeting_decision_id)
        assert minutes.meeting_id == meeting_id and minutes.agenda_item_id == item_id
        assert minutes.text == ("Approvare il piano territoriale 2027: "
                                "Approvato all'unanimità.")
    # A corrected outcome replaces its line of the minutes: still one.
    client.post(f"/decisioni/{decision_id}/esito", {"outcome": "Approvato (un'astensione)."})
    with app.app_context():
        rows = db.session.scalars(select(MeetingDecision.text).where(
            MeetingDecision.meeting_id == meeting_id)).all()
        assert rows == ["Approvare il piano territoriale 2027: Approvato (un'astensione)."]
    # The minutes' writers see it under the item, and the decision links to it.
    meeting_page = text(client.get(f"/incontri/{meeting_id}"))
    assert f"punto «{item_title}» · Proposta" in meeting_page  # the box of its decisions
    assert re.search(rf'id="punto-{item_id}".*Approvare il piano territoriale 2027: '
                     r"Approvato \(un'astensione\)", meeting_page, re.S)
    assert "Riportato nel verbale dell'incontro" in text(client.get(f"/decisioni/{decision_id}"))
    assert told(app, world.member.id, "decision_outcome") == 1


def test_a_reserved_space_s_decisions_never_reach_outsiders(app, world, client, new_client,
                                                          smtp):
    thread_id = helpers.thread(app, world.reserved.id, world.member.id)
    decision_id = helpers.decision(app, world.member.id, thread_id=thread_id,
                                   title="Decisione riservata")
    client.login(world.outsider.email)
    for url in (f"/decisioni/{decision_id}", f"/discussioni/{thread_id}/decisioni/nuova"):
        assert client.get(url).status_code == 404
    assert client.post(f"/decisioni/{decision_id}/posizione", {"choice": "1"}).status_code == 404
    with app.app_context():
        outsider = db.session.get(User, world.outsider.id)
        member = db.session.get(User, world.member.id)
        visible = select(GroupDecision.id).where(services_clause(outsider))
        assert db.session.scalars(visible).all() == []
        assert db.session.scalars(select(GroupDecision.id).where(
            services_clause(member))).all() == [decision_id]
        # Told of nothing, even if named in the audience; closing soon reaches members only.
        db.session.execute(update(GroupDecision).values(closes_at=utcnow() + timedelta(hours=2)))
        db.session.commit()
        from cop.notifications.services import notify

        decision = db.session.get(GroupDecision, decision_id)
        assert notify(decision, [world.outsider.id], services.CLOSING) == 0
    for url in ("/notifiche/", "/cerca?q=riservata"):
        response = client.get(url)
        assert response.status_code == 200 and "Decisione riservata" not in text(response)
    # The coordinator, a member, was told, and the bell leads to the decision.
    coordinator = new_client()
    coordinator.login(world.coordinator.email)
    bell = text(coordinator.get("/notifiche/"))
    assert "Membro Alleanza chiede di decidere: «Decisione riservata»" in bell
    with app.app_context():
        notification_id = db.session.scalar(select(Notification.id).where(
            Notification.user_id == world.coordinator.id,
            Notification.kind == services.OPENED))
    opened = coordinator.get(f"/notifiche/{notification_id}")
    assert opened.headers["Location"] == f"/decisioni/{decision_id}#posizione"


def services_clause(user):
    from cop import access

    return access.visible_decisions_clause(user)


def test_reminders_go_once_to_the_members_who_have_not_taken_part(app, world, factory, smtp):
    another = factory.user(name="Altro Membro")
    factory.member(world.reserved, another)
    thread_id = helpers.thread(app, world.reserved.id, world.coordinator.id)
    soon = helpers.decision(app, world.coordinator.id, thread_id=thread_id, hours=5,
                            title="Si chiude stasera")
    later = helpers.decision(app, world.coordinator.id, thread_id=thread_id, hours=24 * 5,
                             title="Si chiude la settimana prossima")
    helpers.vote(app, soon, world.member.id, {helpers.options(app, soon)["accordo"]: None})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cop", "send-decision-reminders"])
    assert result.exit_code == 0, result.output
    assert "Decisioni in chiusura: 1 (persone avvisate: 2)." in result.output
    assert told(app, another.id, "decision_closing") == 1
    assert told(app, world.member.id, "decision_closing") == 0  # took part already
    assert told(app, world.coordinator.id, "decision_closing") == 1  # its author, who did not
    assert told(app, world.outsider.id, "decision_closing") == 0
    again = runner.invoke(args=["cop", "send-decision-reminders"])
    assert "Decisioni in chiusura: 0 (persone avvisate: 0)." in again.output
    assert told(app, another.id, "decision_closing") == 1
    with app.app_context():
        assert db.session.get(GroupDecision, later).reminded_at is None
        run = db.session.scalar(select(JobRun).where(JobRun.name == "send-decision-reminders"))
        assert run is not None and run.last_success_at is not None


def test_the_export_lists_the_positions_taken_and_deletion_recounts(app, world, client, factory):
    thread_id = helpers.thread(app, world.reserved.id, world.coordinator.id)
    poll_id = helpers.decision(app, world.coordinator.id, thread_id=thread_id, kind="sondaggio",
                               title="Prossimo tema della comunità",
                               options=["Caregiver", "Lavoro agile"])
    ids = helpers.options(app, poll_id)
    helpers.vote(app, poll_id, world.member.id, {ids["Caregiver"]: None}, "Urgente")
    helpers.vote(app, poll_id, world.coordinator.id, {ids["Caregiver"]: None})
    client.login(world.member.email)
    data = json.loads(client.get("/profilo/dati.json").get_data(as_text=True))
    [position] = data["decisions"]["positions"]
    assert position["decision"] == "Prossimo tema della comunità"
    assert position["choices"] == [{"option": "Caregiver", "score": None}]
    assert position["reason"] == "Urgente"
    response = client.post("/profilo/elimina", {"password": world.member.password,
                                                "confirm": "y"})
    assert response.headers["Location"] == "/accedi"
    assert helpers.counts(app, poll_id) == (1, {"Caregiver": (1, 0), "Lavoro agile": (0, 0)})


def test_the_thread_page_runs_as_many_statements_with_many_decisions_and_votes(
        app, world, client, factory, count_queries):
    thread_id = helpers.thread(app, world.reserved.id, world.coordinator.id)
    url = f"/spazi/{world.reserved.slug}/discussioni/{thread_id}"
    client.login(world.member.email)

    def measure() -> int:
        client.get(url)
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    without = measure()
    first = helpers.decision(app, world.coordinator.id, thread_id=thread_id)
    helpers.vote(app, first, world.member.id, {helpers.options(app, first)["accordo"]: None})
    one = measure()
    # without any, the page's facts say so (cop.facts); with some: their list, the reader's part
    assert one <= without + 2
    voters = [factory.user() for _ in range(4)]
    for voter in voters:
        factory.member(world.reserved, voter)
    for n in range(4):
        made = helpers.decision(app, world.coordinator.id, thread_id=thread_id,
                                kind="sondaggio", title=f"Sondaggio {n}",
                                options=["Uno", "Due", "Tre"])
        for voter in voters:
            helpers.vote(app, made, voter.id, {helpers.options(app, made)["Due"]: None})
    assert measure() == one


def test_a_moved_thread_takes_its_decisions_along(app, world):
    thread_id = helpers.thread(app, world.reserved.id, world.coordinator.id)
    decision_id = helpers.decision(app, world.coordinator.id, thread_id=thread_id)
    with app.app_context():
        from cop.discussions import services as discussions
        from cop.discussions.models import Thread

        discussions.place_thread(db.session.get(Thread, thread_id),
                                 db.session.get(Space, world.regional.id))
        db.session.commit()
        assert db.session.get(GroupDecision, decision_id).space_id == world.regional.id


def test_a_hidden_thread_hides_its_decisions_from_members(app, world, client, new_client):
    thread_id = helpers.thread(app, world.reserved.id, world.coordinator.id)
    decision_id = helpers.decision(app, world.coordinator.id, thread_id=thread_id,
                                   title="Decisione in una discussione nascosta")
    client.login(world.member.email)
    assert client.get(f"/decisioni/{decision_id}").status_code == 200
    assert "Decisione in una discussione nascosta" in text(client.get("/notifiche/"))
    with app.app_context():
        from cop.discussions.models import Thread

        db.session.execute(update(Thread).where(Thread.id == thread_id).values(hidden=True))
        db.session.commit()
    assert client.get(f"/decisioni/{decision_id}").status_code == 404
    assert "Decisione in una discussione nascosta" not in text(client.get("/notifiche/"))
    coordinator = new_client()  # its author, who manages the space, still sees it
    coordinator.login(world.coordinator.email)
    assert coordinator.get(f"/decisioni/{decision_id}").status_code == 200


def test_the_space_home_lists_the_open_decisions_its_reader_may_see(app, world, client):
    slug = world.reserved.slug
    client.login(world.member.email)
    assert "Decisioni aperte" not in text(client.get(f"/spazi/{slug}/"))  # none: no panel
    thread_id = helpers.thread(app, world.reserved.id, world.coordinator.id)
    hidden_id = helpers.thread(app, world.reserved.id, world.coordinator.id, title="Nascosta")
    helpers.decision(app, world.coordinator.id, thread_id=thread_id, title="Aperta a tutti")
    helpers.decision(app, world.coordinator.id, thread_id=hidden_id, title="Tra coordinatori")
    closed = helpers.decision(app, world.coordinator.id, thread_id=thread_id, title="Già chiusa")
    with app.app_context():
        from cop.discussions.models import Thread

        db.session.execute(update(Thread).where(Thread.id == hidden_id).values(hidden=True))
        db.session.execute(update(GroupDecision).where(GroupDecision.id == closed)
                           .values(closed_at=utcnow()))
        db.session.commit()
    home = text(client.get(f"/spazi/{slug}/"))
    panel = home.split("Decisioni aperte", 1)[1]
    assert "Aperta a tutti" in panel
    assert "Tra coordinatori" not in home and "Già chiusa" not in panel


def test_who_muted_the_thread_is_not_told_of_its_decisions(app, world, factory, smtp):
    follower = factory.user(name="Segue la discussione")  # not a member: a regional space
    factory.member(world.regional, world.member)  # a member, who mutes the thread
    thread_id = helpers.thread(app, world.regional.id, world.coordinator.id)
    with app.app_context():
        from cop.discussions.models import Thread
        from cop.notifications import services as notifications

        thread = db.session.get(Thread, thread_id)
        notifications.set_level(db.session.get(User, follower.id), "follow", thread=thread)
        notifications.set_level(db.session.get(User, world.member.id), "mute", thread=thread)
        db.session.commit()
    helpers.decision(app, world.coordinator.id, thread_id=thread_id)
    assert told(app, follower.id, "decision_opened") == 1  # follows the thread
    assert told(app, world.member.id, "decision_opened") == 0  # a member, but muted it
    assert told(app, world.outsider.id, "decision_opened") == 0  # neither member nor follower
