"""Writing a record through the form, the workflow, versions and their differences."""
from __future__ import annotations

from sqlalchemy import select

from cop.extensions import db
from cop.practices.models import Practice, PracticeVersion
from tests.practices.helpers import Practices, form_data


def _new(client, slug, **overrides):
    return client.post(f"/spazi/{slug}/pratiche/nuova", form_data(**overrides))


def test_a_member_writes_a_draft_that_may_be_incomplete(client, world, app):
    client.login(world.member.email)
    response = _new(client, world.reserved.slug, summary="", need="", activities="",
                    **{"indicators-0-name": "", "indicators-0-value": "",
                       "indicators-0-unit": "", "indicators-0-year": ""})
    assert response.status_code == 302
    with app.app_context():
        practice = db.session.scalar(select(Practice))
        assert practice.status == "bozza" and practice.title == "Sportello caregiver in Val Seriana"
        assert practice.budget == 25000 and practice.reached_count == 120
        assert practice.municipalities == "Albino\nNembro"
        assert practice.version_count == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Per inviare la scheda alla validazione completa" in page
    assert "Sintesi" in page


def test_bad_numbers_and_dates_are_explained_and_nothing_is_lost(client, world, app):
    client.login(world.member.email)
    response = _new(client, world.reserved.slug, budget="molti", reached_count="12,5",
                    start_date="2023-05-01", end_date="2022-01-01",
                    **{"indicators-0-value": "tanti"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Scrivi un importo" in page and "Scrivi un numero intero" in page
    assert "Scrivi un numero, ad esempio" in page
    assert 'value="molti"' in page and "Sportello caregiver in Val Seriana" in page
    with app.app_context():
        assert db.session.scalar(select(Practice)) is None
    response = _new(client, world.reserved.slug, start_date="2023-05-01", end_date="2022-01-01")
    page = response.get_data(as_text=True)
    assert "La fine deve venire dopo l&#39;inizio." in page


def test_an_area_must_match_the_target(client, world):
    client.login(world.member.email)
    page = _new(client, world.reserved.slug, target="imprese").get_data(as_text=True)
    assert "Quest&#39;area di intervento è per «persone»" in page


def test_submitting_an_incomplete_record_keeps_the_draft_and_names_what_is_missing(
        client, world, app):
    client.login(world.member.email)
    response = _new(client, world.reserved.slug, lessons="", save_and_submit="1")
    assert response.status_code == 302 and "completa=1" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Serve per inviare la scheda alla validazione." in page
    with app.app_context():
        assert db.session.scalar(select(Practice.status)) == "bozza"


def test_submit_validate_publish_and_the_emails(client, new_client, world, app, smtp):
    client.login(world.member.email)
    response = _new(client, world.reserved.slug, save_and_submit="1",
                    contact_id=str(world.member.id))
    assert response.status_code == 302
    with app.app_context():
        practice = db.session.scalar(select(Practice))
        assert practice.status == "inviata"
        practice_id = practice.id
    # the ATS referent validates the records of the ATS's Alleanze
    assert [m.subject for m in smtp.to(world.referent.email)] == \
        ["Da validare: Sportello caregiver in Val Seriana"]
    referent = new_client()
    referent.login(world.referent.email)
    page = referent.get(f"/pratiche/{practice_id}").get_data(as_text=True)
    assert "Validazione" in page
    # the member may not validate their own record
    assert client.post(f"/pratiche/{practice_id}/valutazione",
                       {"validate_record": "1"}).status_code == 403
    # sending back needs a comment, and keeps what was typed otherwise
    response = referent.post(f"/pratiche/{practice_id}/valutazione", {"send_back": "1"})
    assert response.status_code == 400
    assert "Scrivi che cosa va cambiato" in response.get_data(as_text=True)
    # in a summary that takes the focus (cop.js): on a phone the box is far below the top
    assert 'id="form-errors"' in response.get_data(as_text=True)
    referent.post(f"/pratiche/{practice_id}/valutazione",
                  {"send_back": "1", "comment": "Aggiungete i costi del personale."})
    assert Practices(app).get(practice_id).status == "bozza"
    assert any("Aggiungete i costi del personale." in m.body for m in smtp.to(world.member.email))
    assert "Aggiungete i costi" in client.get(f"/pratiche/{practice_id}").get_data(as_text=True)
    client.post(f"/pratiche/{practice_id}/invia")
    referent.post(f"/pratiche/{practice_id}/valutazione", {"validate_record": "1"})
    assert Practices(app).get(practice_id).status == "validata"
    response = referent.post(f"/pratiche/{practice_id}/pubblica", {"visibility": "registrati"})
    assert response.status_code == 302
    practice = Practices(app).get(practice_id)
    assert practice.status == "pubblicata" and practice.visibility == "registrati"
    assert practice.published_at is not None


def test_every_edit_makes_a_version_and_the_diff_reads(client, world, app, factory):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="bozza",
                                      title="Centro estivo aziendale")
    client.login(world.member.email)
    page = client.get(f"/pratiche/{practice_id}/modifica").get_data(as_text=True)
    assert 'value="Centro estivo aziendale"' in page
    with app.app_context():
        practice = db.session.get(Practice, practice_id)
        ats_id, version = practice.ats_id, practice.version_count
    data = form_data(title="Centro estivo interaziendale", summary="Per i figli dei dipendenti.",
                     ats_id=str(ats_id), base_version=str(version), note="titolo più chiaro",
                     contact_id=str(world.member.id))
    assert client.post(f"/pratiche/{practice_id}/modifica", data).status_code == 302
    with app.app_context():
        numbers = db.session.scalars(select(PracticeVersion.number).where(
            PracticeVersion.practice_id == practice_id)).all()
        assert sorted(numbers) == [1, 2]
    history = client.get(f"/pratiche/{practice_id}/versioni").get_data(as_text=True)
    assert "titolo più chiaro" in history
    diff = client.get(f"/pratiche/{practice_id}/versioni/2").get_data(as_text=True)
    assert "<del>Centro estivo aziendale</del>" in diff
    assert "<ins>Centro estivo interaziendale</ins>" in diff
    # an edit from an old version is refused, with the text kept
    stale = client.post(f"/pratiche/{practice_id}/modifica", {**data, "title": "Vecchia copia"})
    assert stale.status_code == 200
    page = stale.get_data(as_text=True)
    assert "qualcuno ha salvato una nuova versione" in page and 'value="Vecchia copia"' in page


def test_a_record_under_review_is_frozen_for_its_writers(client, world, app):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="inviata")
    client.login(world.member.email)
    assert client.get(f"/pratiche/{practice_id}/modifica").status_code == 403


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_files_follow_who_reads_the_record(client, new_client, world, app):
    import io
    import re

    client.login(world.member.email)
    response = client.post(f"/spazi/{world.reserved.slug}/pratiche/nuova", {
        **form_data(visibility="spazio"), "attachments": (io.BytesIO(PDF), "scheda.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    link = re.search(r'href="(/allegati/\d+/scheda\.pdf)"', page).group(1)
    assert client.get(link).data == PDF
    outsider = new_client()
    outsider.login(world.outsider.email)
    assert outsider.get(link).status_code == 404
    with app.app_context():
        practice = db.session.scalar(select(Practice))
        assert practice.attachment_count == 1
        practice.status, practice.visibility = "pubblicata", "registrati"
        db.session.commit()
    assert outsider.get(link).data == PDF  # read beyond the space: its files too
