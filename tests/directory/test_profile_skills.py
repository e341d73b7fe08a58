"""Skills, topics, languages and visibility on one's profile; learning record; trainer offer."""
from __future__ import annotations

from sqlalchemy import select

from cop.directory.models import PersonSkill, ProfileDetails
from cop.extensions import db
from tests.directory.helpers import main, text


def _levels(app, user_id):
    with app.app_context():
        return {ps.skill_code: ps.level for ps in db.session.scalars(
            select(PersonSkill).where(PersonSkill.user_id == user_id))}


def test_filling_in_skills_shows_them_on_the_profile(app, client, world, new_client):
    client.login(world.member.email)
    form = text(client.get("/profilo/competenze"))
    assert "Lettura del contesto" in form and 'name="skill_A1"' in form
    response = client.post("/profilo/competenze", {
        "visibility": "tutti", "topics": "caregiver, smart working; Caregiver",
        "languages": "italiano, inglese", "skill_A1": "4", "skill_B2": "2"})
    assert response.status_code == 302
    assert _levels(app, world.member.id) == {"A1": 4, "B2": 2}

    other = new_client()
    other.login(world.outsider.email)
    page = main(other.get(f"/persone/{world.member.id}"))
    assert "Analisi dei bisogni di conciliazione" in page
    assert "livello 4, posso formare altri" in page and "livello 2, intermedio" in page
    assert "caregiver · smart working" in page and "italiano, inglese" in page

    # A skill set back to «non indicata» goes; a changed level is kept.
    client.post("/profilo/competenze", {"visibility": "tutti", "topics": "", "languages": "",
                                        "skill_A1": "3", "skill_B2": "0"})
    assert _levels(app, world.member.id) == {"A1": 3}
    form = text(client.get("/profilo/competenze"))
    assert '<option selected value="3">' in form


def test_bad_input_keeps_what_was_typed(app, client, world):
    client.login(world.member.email)
    response = client.post("/profilo/competenze", {
        "visibility": "nessuno", "topics": "nidi aziendali", "languages": "francese",
        "skill_A1": "7", "skill_A2": "3"})
    page = text(response)
    assert response.status_code == 200 and "Il modulo contiene errori" in page
    assert "nidi aziendali" in page and 'value="francese"' in page
    assert '<option selected value="3">' in page
    assert _levels(app, world.member.id) == {}


def test_learning_record_and_trainer_offer(app, client, world, new_client):
    client.login(world.member.email)
    assert "Scrivi l'anno" in text(client.post("/profilo/formazione", {
        "title": "Corso di progettazione partecipata", "kind": "corso", "year": ""}))
    client.post("/profilo/formazione", {"title": "Corso di progettazione partecipata",
                                        "kind": "corso", "provider": "PoliS-Lombardia",
                                        "year": "2024"})
    missing = text(client.post("/profilo/formatore", {"topics": "welfare aziendale"}))
    assert "Scegli almeno una modalità" in missing and "welfare aziendale" in missing
    response = client.post("/profilo/formatore", {"topics": "welfare aziendale, caregiver",
                                                  "online": "y", "availability": "il venerdì"})
    assert response.status_code == 302
    other = new_client()
    other.login(world.outsider.email)
    page = main(other.get(f"/persone/{world.member.id}"))
    assert "2024</strong> · Corso di progettazione partecipata" in page
    assert "PoliS-Lombardia" in page
    assert "Si offre come formatore o mentore" in page and "welfare aziendale · caregiver" in page
    assert "il venerdì" in page


def test_the_bio_is_found_by_the_directory(app, client, world):
    client.login(world.member.email)
    client.post("/profilo", {"name": "Membro Alleanza", "job_title": "", "locale": "it",
                             "bio": "Mi occupo di **conciliazione** nelle città."})
    with app.app_context():
        details = db.session.get(ProfileDetails, world.member.id)
        assert " conciliazione " in details.search_words and " citta " in details.search_words
