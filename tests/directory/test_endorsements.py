"""Endorsements: one per person and skill, optional note, not of oneself; shown with who."""
from __future__ import annotations

from sqlalchemy import select

from cop.directory.models import Endorsement, PersonSkill
from cop.extensions import db
from tests.directory.helpers import main, profile, text


def test_endorse_once_with_a_note_and_withdraw(app, client, new_client, world):
    profile(app, world.member, levels={"C1": 3})
    client.login(world.coordinator.email)
    url = f"/persone/{world.member.id}/competenze/C1/conferma"
    response = client.post(url, {"note": "Abbiamo facilitato insieme il tavolo di Dalmine."})
    assert response.headers["Location"] == f"/persone/{world.member.id}#competenze"
    again = client.post(url, {"note": "Di nuovo"}, follow_redirects=True)
    assert "Hai già confermato questa competenza." in text(again)
    with app.app_context():
        assert db.session.get(PersonSkill, (world.member.id, "C1")).endorsement_count == 1

    viewer = new_client()
    viewer.login(world.outsider.email)
    page = main(viewer.get(f"/persone/{world.member.id}"))
    assert "1 conferma" in page and "Coordinatrice Alleanza</a>: «Abbiamo facilitato" in page

    client.post(f"/persone/{world.member.id}/competenze/C1/ritira")
    with app.app_context():
        assert db.session.get(PersonSkill, (world.member.id, "C1")).endorsement_count == 0
        assert db.session.scalars(select(Endorsement)).all() == []


def test_nobody_endorses_themselves_or_a_skill_not_held(app, client, world):
    profile(app, world.member, levels={"C1": 3})
    client.login(world.member.email)
    assert client.post(f"/persone/{world.member.id}/competenze/C1/conferma").status_code == 403
    assert "Conferma Facilitazione" not in main(client.get(f"/persone/{world.member.id}"))
    client.logout()
    client.login(world.outsider.email)
    assert client.post(f"/persone/{world.member.id}/competenze/C2/conferma").status_code == 404
    assert client.post(f"/persone/{world.member.id}/competenze/C1/conferma",
                       {"note": "x" * 301}, follow_redirects=True).status_code == 200
    with app.app_context():
        assert db.session.scalars(select(Endorsement)).all() == []


def test_a_dropped_skill_takes_its_endorsements(app, client, world):
    profile(app, world.member, levels={"C1": 3})
    client.login(world.outsider.email)
    client.post(f"/persone/{world.member.id}/competenze/C1/conferma")
    profile(app, world.member, levels={"C1": 0})
    with app.app_context():
        assert db.session.scalars(select(Endorsement)).all() == []
