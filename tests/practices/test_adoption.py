"""One adoption per Alleanza: registered once, then changed or withdrawn, with its history."""
from __future__ import annotations

from sqlalchemy import func, select

from cop.extensions import db
from cop.practices.models import PracticeAdoption
from tests.practices.helpers import Practices


def _adopter(app, world, factory, client):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id,
                                      visibility="registrati", title="Sportello caregiver")
    other = factory.space(slug="alleanza-bergamo-2")
    adopter = factory.user(name="Operatrice Bergamo Due")
    factory.member(other, adopter)
    client.login(adopter.email)
    return practice_id, factory.alleanza("BG", 2)


def test_an_adoption_is_registered_once_then_changed_or_withdrawn(client, world, app, factory):
    practice_id, alleanza = _adopter(app, world, factory, client)
    assert client.post(f"/pratiche/{practice_id}/adotta", {
        "alleanza_id": str(alleanza.id), "kind": "adattata",
        "note": "Con orari serali."}).status_code == 302
    # a second registration does not replace the first
    again = client.post(f"/pratiche/{practice_id}/adotta", {
        "alleanza_id": str(alleanza.id), "kind": "riusata", "note": "Altro."})
    assert again.status_code == 400
    assert "ha già registrato" in again.get_data(as_text=True)
    page = client.get(f"/pratiche/{practice_id}").get_data(as_text=True)
    assert "Con orari serali." in page
    assert f'action="/pratiche/{practice_id}/adozioni/{alleanza.id}"' in page  # change it
    assert f'action="/pratiche/{practice_id}/adozioni/{alleanza.id}/ritira"' in page
    # changed
    assert client.post(f"/pratiche/{practice_id}/adozioni/{alleanza.id}", {
        f"a{alleanza.id}-kind": "riusata",
        f"a{alleanza.id}-note": "Alla fine così com'è."}).status_code == 302
    page = client.get(f"/pratiche/{practice_id}").get_data(as_text=True)
    assert "Alla fine così com&#39;è." in page and "Con orari serali." in page  # the history
    # withdrawn
    assert client.post(f"/pratiche/{practice_id}/adozioni/{alleanza.id}/ritira",
                       {}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PracticeAdoption)) == 0
    page = client.get(f"/pratiche/{practice_id}").get_data(as_text=True)
    assert "Adozione ritirata" in page, page[page.find("Dove ha viaggiato"):][:3000]
    assert "riusata o adattata?" in page
    assert Practices(app).get(practice_id).adoption_count == 0
