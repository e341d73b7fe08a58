"""The record form gets another partner or indicator row without saving and without
JavaScript: «add a row» shows the form again with everything typed and one more empty row."""
from __future__ import annotations

from sqlalchemy import select

from cop.extensions import db
from cop.practices.models import Practice
from tests.practices.helpers import Practices, form_data


def test_adding_a_row_keeps_what_was_typed_and_saves_nothing(client, world, app):
    client.login(world.member.email)
    page = client.get(f"/spazi/{world.reserved.slug}/pratiche/nuova").get_data(as_text=True)
    assert 'name="add_partner"' in page and 'name="add_indicator"' in page
    data = form_data(**{"partners-1-name": "Comune di Nembro", "partners-2-name": "",
                        "add_partner": "1"})
    response = client.post(f"/spazi/{world.reserved.slug}/pratiche/nuova", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Comune di Nembro"' in page
    assert 'value="Sportello caregiver in Val Seriana"' in page
    assert 'name="partners-3-name"' in page and 'name="partners-4-name"' not in page
    with app.app_context():
        assert db.session.scalar(select(Practice)) is None


def test_adding_an_indicator_row_while_editing(client, world, app):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="bozza",
                                      indicators=1)
    client.login(world.member.email)
    response = client.post(f"/pratiche/{practice_id}/modifica", form_data(
        **{"add_indicator": "1", "base_version": "1",
           "title": "Titolo cambiato ma non salvato"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'name="indicators-1-name"' in page
    assert 'value="Titolo cambiato ma non salvato"' in page
    assert Practices(app).get(practice_id).title != "Titolo cambiato ma non salvato"


def test_linked_discussions_are_found_by_searching(client, world, app, disc):
    thread = disc.thread(world.regional, world.member, "Nidi aziendali condivisi",
                         "Quattro imprese e un nido.")
    client.login(world.member.email)
    url = f"/spazi/{world.reserved.slug}/pratiche/nuova"
    response = client.post(url, form_data(thread_query="nidi", find_threads="1"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'name="linked" value="{thread.id}"' in page and "Nidi aziendali condivisi" in page
    assert 'value="Sportello caregiver in Val Seriana"' in page  # nothing typed is lost
    with app.app_context():
        assert db.session.scalar(select(Practice)) is None
    response = client.post(url, form_data(linked=[str(thread.id)]))
    assert response.status_code == 302
    with app.app_context():
        practice = db.session.scalar(select(Practice))
        page = client.get(f"/pratiche/{practice.id}/modifica").get_data(as_text=True)
    assert f'value="{thread.id}" id="linked-{thread.id}" checked' in page


def test_a_link_the_editor_may_not_read_is_kept(client, world, app, disc, factory):
    from cop.auth.models import User
    from cop.practices import services
    from cop.practices.models import PracticeLink

    elsewhere = factory.space(name="Tavolo altrui")
    factory.member(elsewhere, world.coordinator)
    thread = disc.thread(elsewhere, world.coordinator, "Riservata altrove", "Testo.")
    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="bozza")
    with app.app_context():
        practice = db.session.get(Practice, practice_id)
        services.save(practice, db.session.get(User, world.coordinator.id),
                      services.PracticeInput({}, [], [{"name": "Persone", "value": 3}],
                                             [thread.id]))
        db.session.commit()
        version = practice.version_count
    client.login(world.member.email)
    page = client.get(f"/pratiche/{practice_id}/modifica").get_data(as_text=True)
    assert "Riservata altrove" not in page
    assert client.post(f"/pratiche/{practice_id}/modifica", form_data(
        base_version=str(version))).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(PracticeLink.target_id).where(
            PracticeLink.practice_id == practice_id)).all() == [thread.id]
