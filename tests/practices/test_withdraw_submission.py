"""An author takes back a record sent for validation, to change it, until a validator takes it
up; the ATS referent's home says what waits for them."""
from __future__ import annotations

from cop.auth.models import User
from cop.extensions import db
from cop.practices import services
from cop.practices.models import Practice
from tests.practices.helpers import Practices


def test_the_author_withdraws_a_record_nobody_took_up(client, world, app, smtp):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="inviata")
    client.login(world.member.email)
    page = client.get(f"/pratiche/{practice_id}").get_data(as_text=True)
    assert f'action="/pratiche/{practice_id}/ritira-invio"' in page
    response = client.post(f"/pratiche/{practice_id}/ritira-invio", {})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/pratiche/{practice_id}/modifica"
    assert Practices(app).get(practice_id).status == "bozza"
    assert client.get(f"/pratiche/{practice_id}/modifica").status_code == 200
    # the ATS referent, asked to validate it, hears it no longer waits (no link to the draft)
    [told] = [m for m in smtp.to(world.referent.email) if m.subject.startswith("Invio ritirato")]
    assert "ha ritirato dalla validazione la scheda" in told.body
    assert "/pratiche/" not in told.body
    assert not [m for m in smtp.to(world.member.email) if "ritirat" in m.subject]


def test_once_a_validator_corrected_it_the_author_waits(client, world, app):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="inviata")
    with app.app_context():  # the ATS referent corrects it during the review
        practice = db.session.get(Practice, practice_id)
        services.save(practice, db.session.get(User, world.referent.id),
                      services.PracticeInput({"summary": "Corretta in validazione."},
                                             [], [{"name": "Persone", "value": 3}]))
        db.session.commit()
    client.login(world.member.email)
    page = client.get(f"/pratiche/{practice_id}").get_data(as_text=True)
    assert "ritira-invio" not in page
    assert client.post(f"/pratiche/{practice_id}/ritira-invio", {}).status_code == 403
    assert Practices(app).get(practice_id).status == "inviata"


def test_the_referent_home_shows_what_waits(client, world, app):
    Practices(app).make(world.reserved.slug, world.member.id, status="inviata")
    client.login(world.referent.email)
    page = client.get("/").get_data(as_text=True)
    assert "Da validare" in page and "/pratiche/?scheda=da_validare" in page
    assert "1 scheda" in page
