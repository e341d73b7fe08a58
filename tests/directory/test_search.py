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
