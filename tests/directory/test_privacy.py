"""Each person chooses who sees their details: the profile, the search, the trainers page and
the skills map all follow the choice."""
from __future__ import annotations

from tests.directory.helpers import ats_id, main, profile, text


def _hidden_person(app, factory, world):
    """A member of the reserved space who shows details only to people sharing a space."""
    person = factory.user(name="Riservata Rossi")
    factory.member(world.reserved, person)
    profile(app, person, visibility="spazi", topics="teleassistenza", levels={"H3": 4},
            trainer={"topics": "teleassistenza per caregiver", "online": True})
    with app.app_context():
        from cop.account.services import update_profile
        from cop.auth.models import User
        from cop.extensions import db

        update_profile(db.session.get(User, person.id), name="Riservata Rossi", job_title="",
                       bio="Una presentazione riservata.", locale="it")
        db.session.commit()
    return person


def test_the_profile_shows_details_only_as_chosen(app, client, new_client, world, factory):
    person = _hidden_person(app, factory, world)
    client.login(world.outsider.email)
    page = main(client.get(f"/persone/{person.id}"))
    assert "Riservata Rossi" in page  # name and organisation always
    assert "solo alle persone con cui condivide uno spazio" in page
    assert "teleassistenza" not in page and "Competenze" not in page
    assert "presentazione riservata" not in page
    assert f"/rubrica/contatta/{person.id}" not in page
    assert client.get(f"/rubrica/contatta/{person.id}").status_code == 404

    for viewer in (world.member, world.coordinator, world.admin):
        other = new_client()
        other.login(viewer.email)
        page = main(other.get(f"/persone/{person.id}"))
        assert "teleassistenza" in page and "livello 4" in page, viewer.name
        assert "presentazione riservata" in page


def test_search_trainers_and_map_leave_out_hidden_details(app, client, new_client, world,
                                                          factory):
    _hidden_person(app, factory, world)
    urls = ["/rubrica/?competenza=H3", "/rubrica/?q=teleassistenza", "/rubrica/?q=riservata",
            "/rubrica/?formatore=y", "/rubrica/formatori", "/rubrica/formatori?q=teleassistenza"]
    client.login(world.outsider.email)
    for url in urls:
        assert "Riservata Rossi" not in text(client.get(url)), url
    milano = f"/rubrica/mappa?ats={ats_id(app, 'MI')}"  # H3 is a gap there: who fills it?
    skills_map = text(client.get(milano))
    assert "Progettazione formativa per adulti" in skills_map
    assert "Riservata Rossi" not in skills_map

    member = new_client()
    member.login(world.member.email)
    for url in urls:
        assert "Riservata Rossi" in text(member.get(url)), url
    assert "Riservata Rossi" in text(member.get(milano))


def test_the_endorse_and_contact_routes_respect_the_choice(app, client, world, factory):
    person = _hidden_person(app, factory, world)
    client.login(world.outsider.email)
    assert client.post(f"/persone/{person.id}/competenze/H3/conferma").status_code == 404
    assert client.post(f"/rubrica/contatta/{person.id}",
                       {"subject": "Ciao", "message": "Un messaggio abbastanza lungo"}
                       ).status_code == 404
