"""The directory search: skills with a minimum level, territory, organisation type, trainers,
free text; why each person matched; pages."""
from __future__ import annotations

import re

from tests.directory.helpers import ats_id, main, profile


def _names(page: str) -> list[str]:
    return re.findall(r'<h3 class="h5 mb-1"><a href="/persone/\d+">([^<]+)</a>', page)


def _people(app, factory):
    bergamo = factory.organisation("Comune di Dalmine", entity_type="ente_pubblico", ats_code="BG")
    milano = factory.organisation("Cooperativa Sole", entity_type="no_profit", ats_code="MI")
    anna = factory.user(name="Anna Bergamasca", organisation_id=bergamo.id)
    bruno = factory.user(name="Bruno Milanese", organisation_id=milano.id)
    carla = factory.user(name="Carla Milanese", organisation_id=milano.id)
    profile(app, anna, levels={"C1": 4, "F1": 3}, topics="caregiver, sportelli di ascolto")
    profile(app, bruno, levels={"C1": 2, "F1": 4}, topics="conciliazione nelle imprese",
            trainer={"topics": "caregiver"})
    profile(app, carla, levels={"E3": 3})
    return anna, bruno, carla


def test_skills_and_minimum_level(app, client, world, factory):
    _people(app, factory)
    client.login(world.member.email)
    page = main(client.get("/rubrica/?competenza=C1"))
    assert _names(page) == ["Anna Bergamasca", "Bruno Milanese"]  # the stronger first
    assert "Ha le competenze cercate:" in page
    assert "Facilitazione di gruppi e tavoli · 4 posso formare altri" in page
    page = main(client.get("/rubrica/?competenza=C1&livello=3"))
    assert _names(page) == ["Anna Bergamasca"]
    page = main(client.get("/rubrica/?competenza=C1&competenza=F1&livello=3"))
    assert _names(page) == ["Anna Bergamasca"]  # every chosen skill, at that level
    assert "2 persone" in main(client.get("/rubrica/?competenza=F1&livello=3"))


def test_territory_type_trainers_and_text(app, client, world, factory):
    _people(app, factory)
    client.login(world.member.email)
    mi = ats_id(app, "MI")
    assert _names(main(client.get(f"/rubrica/?ats={mi}"))) == ["Bruno Milanese", "Carla Milanese"]
    assert _names(main(client.get("/rubrica/?tipo=ente_pubblico"))) == ["Anna Bergamasca"]
    page = main(client.get("/rubrica/?formatore=y"))
    assert _names(page) == ["Bruno Milanese"] and "Si offre come formatore" in page
    page = main(client.get("/rubrica/?q=CAREGIVER"))
    assert _names(page) == ["Anna Bergamasca", "Bruno Milanese"]
    assert "<mark>caregiver</mark>" in page
    page = main(client.get(f"/rubrica/?q=conciliare&ats={mi}"))
    assert _names(page) == ["Bruno Milanese"] and "<mark>conciliazione</mark>" in page
    page = main(client.get("/rubrica/?q=della"))
    assert "troppo comuni" in page


def test_bad_filters_are_explained(app, client, world, factory):
    _people(app, factory)
    client.login(world.member.email)
    response = client.get("/rubrica/?competenza=ZZ9&livello=9&q=" + "x" * 201)
    page = main(response)
    assert response.status_code == 200 and "Il modulo contiene errori" in page
    assert _names(page) == []


def test_results_are_paged(app, client, world, factory):
    app.config["SEARCH_PAGE_SIZE"] = 2
    _people(app, factory)
    client.login(world.member.email)
    first = main(client.get("/rubrica/?livello=2"))
    assert "3 persone" in first and _names(first) == ["Anna Bergamasca", "Bruno Milanese"]
    assert "Pagina 1 di 2" in first
    second = main(client.get("/rubrica/?livello=2&pagina=2"))
    assert _names(second) == ["Carla Milanese"]


def _endorse(app, endorsers, person, skill_code):
    from cop.auth.models import User
    from cop.directory import services
    from cop.extensions import db

    with app.app_context():
        for endorser in endorsers:
            services.endorse(db.session.get(User, endorser.id), person.id, skill_code)
        db.session.commit()


def test_the_strongest_first_level_before_endorsements(app, client, world, factory):
    """Level first, then endorsements, then the name: for one skill as for several."""
    anna, bruno, carla = (factory.user(name=n) for n in
                          ("Anna Seconda", "Bruno Primo", "Carla Terza"))
    profile(app, anna, levels={"C1": 3, "F1": 2})
    profile(app, bruno, levels={"C1": 3, "F1": 2})
    profile(app, carla, levels={"C1": 2, "F1": 4})
    endorsers = [factory.user(name=f"Collega {n}") for n in range(12)]
    _endorse(app, endorsers, carla, "C1")  # many endorsements do not beat a level
    _endorse(app, endorsers[:1], bruno, "C1")
    client.login(world.member.email)
    assert _names(main(client.get("/rubrica/?competenza=C1"))) == [
        "Bruno Primo", "Anna Seconda", "Carla Terza"]
    assert _names(main(client.get("/rubrica/?competenza=C1&competenza=F1"))) == [
        "Carla Terza", "Bruno Primo", "Anna Seconda"]  # levels 6, 5, 5


def test_more_than_the_cap_says_so_and_pages_through_the_first(
        app, client, world, factory, monkeypatch):
    from cop.directory import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 4)
    app.config["SEARCH_PAGE_SIZE"] = 2
    for n in range(5):
        profile(app, factory.user(name=f"Persona {n}"), levels={"E3": 2})
    client.login(world.member.email)
    first = main(client.get("/rubrica/?competenza=E3"))
    assert "Più di 4 persone" in first and "Ti mostriamo le prime 4" in first
    assert _names(first) == ["Persona 0", "Persona 1"] and "Pagina 1 di 2" in first
    last = main(client.get("/rubrica/?competenza=E3&pagina=9"))
    assert _names(last) == ["Persona 2", "Persona 3"]
    exact = main(client.get("/rubrica/?competenza=E3&q=nessuna"))
    assert "0 persone" in exact and "Più di" not in exact
