"""An endorsement tells the endorsed person (only them), in the bell and by email; withdrawing
it tells nobody."""
from __future__ import annotations

from sqlalchemy import select

from cop.extensions import db
from cop.notifications.models import Notification
from tests.directory.helpers import profile
from tests.practices.helpers import bell, keep_to_the_bell, told

SENTENCE = "Coordinatrice Alleanza ha confermato la tua competenza «Facilitazione di gruppi e " \
           "tavoli»"


def _endorse(client, person, note="Abbiamo facilitato insieme il tavolo di Dalmine."):
    response = client.post(f"/persone/{person.id}/competenze/C1/conferma", {"note": note})
    assert response.status_code == 302


def test_the_endorsed_person_is_told_and_nobody_else(app, client, new_client, world, smtp):
    profile(app, world.member, levels={"C1": 3})
    client.login(world.coordinator.email)
    _endorse(client, world.member)
    member = new_client()
    member.login(world.member.email)
    page = told(member)
    assert SENTENCE in page and "Abbiamo facilitato insieme il tavolo di Dalmine." in page
    assert bell(member) == 1
    [mail] = smtp.to(world.member.email)
    assert mail.subject == SENTENCE
    assert f"/persone/{world.member.id}#competenze" in mail.body
    assert [m.to for m in smtp.messages] == [[world.member.email]]
    assert "confermato" not in told(client) and bell(client) == 0  # not the endorser
    with app.app_context():
        assert db.session.scalar(select(Notification.id).where(
            Notification.user_id == world.member.id)) is not None
        notice = db.session.scalar(select(Notification.id))
    response = member.get(f"/notifiche/{notice}")
    assert response.headers["Location"].endswith(f"/persone/{world.member.id}#competenze")
    # nobody else may open it (it is not theirs)
    assert client.get(f"/notifiche/{notice}").status_code == 404
    # a withdrawal tells nothing
    smtp.messages.clear()
    client.post(f"/persone/{world.member.id}/competenze/C1/ritira")
    assert not smtp.messages
    with app.app_context():
        assert db.session.scalar(select(Notification.kind)) == "endorsed"
        assert len(db.session.scalars(select(Notification)).all()) == 1


def test_kept_to_the_bell_no_email(app, client, new_client, world, smtp):
    profile(app, world.member, levels={"C1": 3})
    member = new_client()
    member.login(world.member.email)
    keep_to_the_bell(member, "endorsed")
    client.login(world.coordinator.email)
    _endorse(client, world.member)
    assert SENTENCE in told(member) and bell(member) == 1
    assert not smtp.to(world.member.email)


def test_the_sentence_follows_the_persons_language(app, client, new_client, world, smtp):
    with app.app_context():
        from cop.auth.models import User

        db.session.get(User, world.member.id).locale = "en"
        db.session.commit()
    profile(app, world.member, levels={"C1": 3})
    client.login(world.coordinator.email)
    _endorse(client, world.member, note="")
    [mail] = smtp.to(world.member.email)
    assert "Group facilitation" in mail.subject
