"""Four eyes: nobody validates or publishes a record they wrote; another referent of the ATS or
a regional curator does, and a record with nobody else in its ATS waits for a curator."""
from __future__ import annotations

from sqlalchemy import select

from cop.extensions import db
from cop.practices.models import Practice
from tests.practices.helpers import Practices, form_data

OWN = "Hai scritto tu questa scheda"


def _sent_by_referent(client, world, app) -> int:
    """The ATS referent writes a record of their ATS space and sends it."""
    client.login(world.referent.email)
    response = client.post(f"/spazi/{world.ats_space.slug}/pratiche/nuova", form_data(
        save_and_submit="1", contact_id=str(world.referent.id), alleanza_id=""))
    assert response.status_code == 302
    with app.app_context():
        practice = db.session.scalar(select(Practice))
        assert practice.status == "inviata"
        return practice.id


def test_a_referent_neither_validates_nor_publishes_their_own_record(
        client, new_client, world, app, factory, smtp):
    curator = factory.user(name="Curatrice Regionale", site_role="curatore")
    practice_id = _sent_by_referent(client, world, app)
    assert [m.subject for m in smtp.to(curator.email)] == [
        "Da validare: Sportello caregiver in Val Seriana"]
    page = client.get(f"/pratiche/{practice_id}").get_data(as_text=True)
    assert 'name="validate_record"' not in page and OWN in page
    assert "Nessun altro referente dell'ATS può validarla" in page
    queue = client.get("/pratiche/?scheda=da_validare").get_data(as_text=True)
    assert f'href="/pratiche/{practice_id}"' not in queue

    response = client.post(f"/pratiche/{practice_id}/valutazione", {"validate_record": "1"})
    assert response.status_code == 403 and OWN in response.get_data(as_text=True)
    assert Practices(app).get(practice_id).status == "inviata"

    # a regional curator validates; the referent may not publish it either
    reviewer = new_client()
    reviewer.login(curator.email)
    assert 'name="validate_record"' in reviewer.get(f"/pratiche/{practice_id}").get_data(
        as_text=True)
    assert reviewer.post(f"/pratiche/{practice_id}/valutazione",
                         {"validate_record": "1"}).status_code == 302
    assert Practices(app).get(practice_id).status == "validata"
    page = client.get(f"/pratiche/{practice_id}").get_data(as_text=True)
    assert f'action="/pratiche/{practice_id}/pubblica"' not in page and OWN in page
    response = client.post(f"/pratiche/{practice_id}/pubblica", {"visibility": "registrati"})
    assert response.status_code == 403 and OWN in response.get_data(as_text=True)
    assert Practices(app).get(practice_id).status == "validata"
    assert reviewer.post(f"/pratiche/{practice_id}/pubblica",
                         {"visibility": "registrati"}).status_code == 302
    assert Practices(app).get(practice_id).status == "pubblicata"


def test_another_referent_of_the_ats_is_named_told_and_validates(
        client, new_client, world, app, factory, smtp):
    colleague = factory.user(name="Seconda Referente ATS")
    factory.member(world.ats_space, colleague, "coordinatore")
    practice_id = _sent_by_referent(client, world, app)
    assert smtp.to(colleague.email) and not smtp.to(world.referent.email)
    page = client.get(f"/pratiche/{practice_id}").get_data(as_text=True)
    assert "In attesa di validazione da parte di Seconda Referente ATS" in page
    other = new_client()
    other.login(colleague.email)
    assert other.post(f"/pratiche/{practice_id}/valutazione",
                      {"validate_record": "1"}).status_code == 302
    assert Practices(app).get(practice_id).status == "validata"


def test_who_rewrote_a_draft_does_not_validate_it(client, new_client, world, app, factory):
    """A referent who edited an Alleanza's draft wrote it too; their corrections during the
    review do not count."""
    from cop.auth.models import User
    from cop.practices import services

    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="bozza")
    with app.app_context():
        practice = db.session.get(Practice, practice_id)
        services.save(practice, db.session.get(User, world.referent.id),
                      services.PracticeInput({"summary": "Riscritta dalla referente."},
                                             [], [{"name": "Persone", "value": 3}]))
        services.submit(practice, db.session.get(User, world.member.id))
        db.session.commit()
    client.login(world.referent.email)
    assert client.post(f"/pratiche/{practice_id}/valutazione",
                       {"validate_record": "1"}).status_code == 403
    second = Practices(app).make(world.reserved.slug, world.member.id, status="inviata",
                                 title="Seconda scheda da validare")
    with app.app_context():  # corrected while under review: still the referent's to validate
        practice = db.session.get(Practice, second)
        services.save(practice, db.session.get(User, world.referent.id),
                      services.PracticeInput({"summary": "Corretta in validazione."},
                                             [], [{"name": "Persone", "value": 3}]))
        db.session.commit()
    assert client.post(f"/pratiche/{second}/valutazione",
                       {"validate_record": "1"}).status_code == 302
