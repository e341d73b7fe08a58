"""Finding trainers and skills: a skill is found by its name or code, a trainer search returns
people who offer training on it, and the skill filter is in sight."""
from __future__ import annotations

from tests.directory.helpers import main, profile
from tests.directory.test_search import _names


def _trainers(app, factory):
    dora = factory.user(name="Dora Welfare")
    enzo = factory.user(name="Enzo Agile")
    fabio = factory.user(name="Fabio Pmi")
    profile(app, dora, levels={"E3": 2, "E1": 4}, topics="smart working",
            trainer={"topics": "welfare aziendale"})
    profile(app, enzo, levels={"E3": 4}, trainer={"topics": "lavoro agile"})
    profile(app, fabio, levels={"C1": 2}, trainer={"topics": "smart working nelle PMI"})
    return dora, enzo, fabio


def _trainer_names(page: str) -> list[str]:
    import re

    return re.findall(r'<a href="/persone/\d+">([^<]+)</a>', page)


def test_a_trainer_search_finds_who_trains_on_it(app, client, world, factory):
    _trainers(app, factory)
    client.login(world.member.email)
    found = _trainer_names(main(client.get("/rubrica/formatori?q=smart+working")))
    assert sorted(found) == ["Enzo Agile", "Fabio Pmi"]  # not Dora: she trains on welfare
    found = _trainer_names(main(client.get(
        "/rubrica/formatori?q=Progettazione+dello+smart+working")))
    assert found == ["Enzo Agile"]
    assert _trainer_names(main(client.get("/rubrica/formatori?q=e3"))) == ["Enzo Agile"]


def test_a_skill_with_trainers_only_means_who_trains_on_that_skill(app, client, world, factory):
    _trainers(app, factory)
    client.login(world.member.email)
    assert _names(main(client.get("/rubrica/?competenza=E3&formatore=y"))) == ["Enzo Agile"]


def test_a_skill_is_found_by_its_name(app, client, world, factory):
    _trainers(app, factory)
    client.login(world.member.email)
    page = main(client.get("/rubrica/?q=Progettazione+dello+smart+working"))
    assert _names(page) == ["Dora Welfare", "Enzo Agile"]  # who holds it, at any level
    assert "Progettazione dello smart working" in page
    page = main(client.get("/rubrica/"))
    assert "<details" not in page and 'id="competenza-E3"' in page
