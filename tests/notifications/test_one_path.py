"""One notification path for every feature: meetings' invitations, changes and actions reach the
bell and the email through `notifications.notify`, per each person's choice for the kind, and
stop showing when the person may no longer see what they are about."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cop import mail
from cop.auth.models import User
from cop.extensions import db
from cop.meetings import services as meetings
from cop.meetings.models import Meeting
from cop.notifications import delivery, kinds
from cop.notifications.models import Notification
from cop.spaces import services as spaces
from cop.spaces.models import Space
from tests.meetings.helpers import Meetings
from tests.notifications.helpers import new_thread, text

TITLE = "Tavolo sui servizi per caregiver"


def _kinds_of(app, person) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Notification.kind).where(
            Notification.user_id == person.id).order_by(Notification.id)))


def _choose(client, **channels):
    """Posts the preferences form as the page shows it, with some kinds changed."""
    page = text(client.get("/notifiche/preferenze"))
    assert "Sei invitato a un incontro" in page
    data = {"email_frequency": "each", "digest_frequency": "weekly",
            **{f"kind_{kind}": channel for kind, channel in channels.items()}}
    response = client.post("/notifiche/preferenze", data=data, follow_redirects=True)
    assert "Preferenze salvate." in text(response)


def test_an_invitation_reaches_the_bell_and_the_email_with_its_calendar(
        app, world, smtp, client):
    mid = Meetings(app).make(world.reserved.slug, world.coordinator.id, title=TITLE,
                             invite_ids=[world.member.id])
    mail.wait_for_deliveries()
    [message] = smtp.to(world.member.email)
    assert TITLE in message.subject
    assert [p.get_content_type() for p in message.message.iter_attachments()] == \
        ["text/calendar"]
    assert message.message["List-Unsubscribe"]

    client.login(world.member.email)
    page = text(client.get("/notifiche/"))
    assert f"Coordinatrice Alleanza ti ha invitato all'incontro «{TITLE}»" in page
    assert "Alleanza Bergamo 1" in page  # where it happens
    assert "1 notifica non letta." in page
    with app.app_context():
        notification_id = db.session.scalar(select(Notification.id).where(
            Notification.user_id == world.member.id))
    opened = client.get(f"/notifiche/{notification_id}")
    assert opened.status_code == 302 and opened.location.endswith(f"/incontri/{mid}")
    assert "Nessuna notifica non letta." in text(client.get("/notifiche/"))
    assert _kinds_of(app, world.coordinator) == []  # never the person who acted


def test_each_kind_follows_the_persons_choice_bell_only_or_nothing(app, world, smtp, client,
                                                                   factory):
    quiet = factory.user(name="Persona Solo Sito")
    factory.member(world.reserved, quiet)
    client.login(quiet.email)
    _choose(client, meeting_invited="bell", action_assigned="off")
    client.logout()
    mid = Meetings(app).make(world.reserved.slug, world.coordinator.id, title=TITLE,
                             invite_ids=[quiet.id, world.member.id])
    with app.app_context():
        meeting = db.session.get(Meeting, mid)
        meetings.add_action(meeting, db.session.get(User, world.coordinator.id),
                            "Raccogliere i bisogni", quiet.id, None)
        db.session.commit()
    mail.wait_for_deliveries()
    assert smtp.to(quiet.email) == []  # invitation in the bell only; the action not at all
    assert len(smtp.to(world.member.email)) == 1
    assert _kinds_of(app, quiet) == ["meeting_invited"]

    client.login(quiet.email)
    page = text(client.get("/notifiche/preferenze"))
    assert re.search(r'<input checked[^>]*name="kind_meeting_invited"[^>]*value="bell"', page)
    assert re.search(r'<input checked[^>]*name="kind_action_assigned"[^>]*value="off"', page)


def test_an_entry_disappears_when_its_meeting_is_no_longer_visible(app, world, client, factory):
    guest = factory.user(name="Persona di Passaggio")
    factory.member(world.reserved, guest)
    Meetings(app).make(world.reserved.slug, world.coordinator.id, title=TITLE,
                       invite_members=True)
    client.login(guest.email)
    assert "1 notifica non letta." in text(client.get("/notifiche/"))
    with app.app_context():  # out of the space, and the invitation withdrawn
        space = db.session.scalar(select(Space).where(Space.id == world.reserved.id))
        spaces.remove_member(space, db.session.get(User, guest.id))
        meeting = db.session.scalar(select(Meeting).where(Meeting.title == TITLE))
        meetings.uninvite(meeting, guest.id)
        db.session.commit()
    page = text(client.get("/notifiche/"))
    assert TITLE not in page and "Nessuna notifica non letta." in page
    assert _kinds_of(app, guest) == ["meeting_invited"]  # the row is there, not shown


def test_a_change_and_a_cancellation_tell_the_invited(app, world, smtp, client):
    mid = Meetings(app).make(world.reserved.slug, world.coordinator.id, title=TITLE,
                             invite_ids=[world.member.id])
    with app.app_context():
        meetings.cancel_meeting(db.session.get(Meeting, mid),
                                db.session.get(User, world.coordinator.id), "Sala non disponibile")
        db.session.commit()
    mail.wait_for_deliveries()
    cancelled = [m for m in smtp.to(world.member.email) if "annullato" in m.subject.lower()]
    assert len(cancelled) == 1 and "Sala non disponibile" in cancelled[0].body
    client.login(world.member.email)
    page = text(client.get("/notifiche/"))
    assert f"Coordinatrice Alleanza ha annullato l'incontro «{TITLE}»" in page


def test_an_action_assigned_leads_to_the_owners_actions(app, world, client):
    mid = Meetings(app).make(world.reserved.slug, world.coordinator.id, title=TITLE)
    with app.app_context():
        meetings.add_action(db.session.get(Meeting, mid),
                            db.session.get(User, world.coordinator.id),
                            "Mappare i servizi del territorio", world.member.id, None)
        db.session.commit()
        notification_id = db.session.scalar(select(Notification.id).where(
            Notification.user_id == world.member.id, Notification.kind == "action_assigned"))
    client.login(world.member.email)
    assert "ti ha assegnato l'azione «Mappare i servizi del territorio»" in \
        text(client.get("/notifiche/"))
    assert client.get(f"/notifiche/{notification_id}").location == "/azioni/"


def test_the_email_offers_to_stop_this_kind_only(app, world, smtp, client):
    Meetings(app).make(world.reserved.slug, world.coordinator.id, title=TITLE,
                       invite_ids=[world.member.id])
    mail.wait_for_deliveries()
    [message] = smtp.to(world.member.email)
    link = next(url for url in smtp.links(message) if "/disiscriviti/" in url)
    path = link.removeprefix("http://localhost")
    page = text(client.get(path))
    assert "Nessuna email per: Sei invitato a un incontro" in page
    done = text(client.post(path, data={"scelta": "tipo"}))
    assert "Niente più email di questo tipo" in done
    with app.app_context():
        from cop.notifications import services

        person = db.session.get(User, world.member.id)
        assert services.channels(person)["meeting_invited"] == "bell"
        assert services.email_frequency(person) == "each"  # the other emails still come


def test_the_preferences_page_lists_the_followed_threads_with_unfollow(app, world, client):
    thread_id, _ = new_thread(app, world.reserved, world.member, title="Nidi aziendali")
    client.login(world.member.email)
    page = text(client.get("/notifiche/preferenze"))
    followed = page.split("Discussioni che segui")[1].split("Discussioni silenziate")[0]
    assert "Nidi aziendali" in followed and "Smetti di seguire" in followed
    client.post("/notifiche/segui", data={"thread_id": thread_id, "level": "none",
                                          "next": "/notifiche/preferenze"})
    followed = text(client.get("/notifiche/preferenze")).split("Discussioni che segui")[1]
    assert "Nidi aziendali" not in followed.split("Discussioni silenziate")[0]


def test_every_kind_is_said_and_labelled(app):
    """A kind registered without a label or a subject would break the preferences page."""
    with app.app_context():
        names = {spec.name for spec in kinds.kinds()}
        assert {"reply", "mention", "meeting_invited", "minutes_review", "action_assigned",
                "action_due"} <= names
        for spec in kinds.kinds():
            assert str(spec.label) and str(spec.group)
            assert spec.subject in kinds.subjects()


@pytest.fixture
def worker_app(make_app):
    return make_app(NOTIFICATION_EMAIL_WORKER=True)


def test_the_worker_sends_an_invitation_with_its_calendar(worker_app, world, smtp):
    app = worker_app
    Meetings(app).make(world.reserved.slug, world.coordinator.id, title=TITLE,
                       invite_ids=[world.member.id])
    mail.wait_for_deliveries()
    assert smtp.to(world.member.email) == []  # left for the worker
    with app.app_context():
        assert delivery.send_pending().settled == 1
    [message] = smtp.to(world.member.email)
    assert TITLE in message.subject
    assert any(p.get_content_type() == "text/calendar"
               for p in message.message.iter_attachments())


def test_an_excerpt_drops_a_quote_and_the_line_introducing_it():
    from cop.markdown import render_markdown
    from cop.notifications.services import excerpt

    body = render_markdown("**Serena Tagliabue** ha scritto:\n> Grazie, proviamo\n\n"
                           "Anche noi: ecco come.\n\nPrimo punto.")
    assert excerpt(body) == "Anche noi: ecco come. Primo punto."


def test_a_forged_choice_is_refused_with_a_message_and_changes_nothing(app, world, client):
    client.login(world.member.email)
    response = client.post("/notifiche/preferenze", data={
        "email_frequency": "each", "digest_frequency": "weekly", "kind_reply": "x\r\n<b>",
        "kind_moderation": "off", "kind_nessuno": "off"})
    assert response.status_code == 200
    page = text(response)
    assert "Preferenze salvate." not in page
    assert '<a href="#kind_reply-0">Qualcuno risponde a un tuo messaggio</a>: ' \
        'Non è una opzione valida' in page  # the summary leads to the choice
    assert re.search(r'id="kind_reply-error" class="cop-error">.*Non è una opzione valida', page)
    assert 'aria-invalid="true"' in page
    with app.app_context():
        from cop.notifications import services

        chosen = services.channels(db.session.get(User, world.member.id))
    assert chosen["reply"] == "email" and "moderation" not in chosen
