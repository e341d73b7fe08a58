"""Real Italian word forms find each other on SQLite and PostgreSQL alike: singular and plural,
phrases of two words, and English loan words with an English plural."""
from __future__ import annotations

import pytest

from cop.search.text import terms, tsquery


@pytest.mark.parametrize("query", ["asili", "asilo", "asilo nido", "asili nido", "nidi", "nido"])
def test_nursery_forms(disc, world, query):
    a = disc.thread(world.regional, world.member, "Gli asili nido aziendali",
                    "Posti riservati per i figli dei dipendenti.")
    b = disc.thread(world.regional, world.member, "Un asilo per il quartiere",
                    "Il nido comunale apre il sabato.")
    assert set(disc.found(world.member, query)) == {("thread", a.id), ("thread", b.id)}


@pytest.mark.parametrize("query", ["caregiver", "caregivers", "Caregivers familiare"])
def test_english_plural(disc, world, query):
    a = disc.thread(world.regional, world.member, "Sportello per i caregivers",
                    "Orientamento familiare.")
    b = disc.thread(world.regional, world.member, "Un caregiver racconta",
                    "La mia esperienza familiare.")
    assert set(disc.found(world.member, query)) == {("thread", a.id), ("thread", b.id)}


@pytest.mark.parametrize("query", ["asili", "asilo nido", "caregivers", "nidi", "familiare"])
def test_library_forms(client, world, app, query):
    from tests.practices.helpers import Practices

    Practices(app).make(world.regional.slug, world.coordinator.id, title="Asilo nido aziendale",
                        summary="Posti nei nidi per i figli dei caregiver familiari.",
                        visibility="registrati")
    client.login(world.member.email)
    page = client.get("/pratiche/", query_string={"q": query}).get_data(as_text=True)
    assert "1 scheda" in page


@pytest.mark.parametrize("query", ["asili", "asilo nido", "Asili nido", "nido", "nidi"])
def test_asilo_nido_and_nido_are_synonyms(disc, world, query):
    a = disc.thread(world.regional, world.member, "Gli asili nido aziendali",
                    "Posti riservati per i figli dei dipendenti.")
    b = disc.thread(world.regional, world.member, "Il nido comunale apre il sabato",
                    "Orari lunghi per chi lavora a turni.")
    c = disc.thread(world.regional, world.member, "I nidi del quartiere",
                    "Tre sezioni per i più piccoli.")
    asylum = disc.thread(world.regional, world.member, "Sportello per chi chiede asilo",
                         "Accoglienza dei rifugiati.")
    found = set(disc.found(world.member, query))
    assert {("thread", a.id), ("thread", b.id), ("thread", c.id)} <= found
    if query.lower() != "asili":  # "asilo" alone is also asylum; "nido" is not
        assert ("thread", asylum.id) not in found


@pytest.mark.parametrize("forms", [("familiare", "familiari"), ("anziano", "anziani"),
                                   ("particolare", "particolari"), ("banca", "banche")])
def test_gender_and_number_find_each_other(disc, world, forms):
    """Forms the Italian stemmer gives different stems (familiare -> famil, familiari ->
    familiar; anziano -> anzi, anziani -> anzian) find each other: PostgreSQL indexes stems."""
    one, other = forms
    a = disc.thread(world.regional, world.member, f"Sostegno {one}", "Un primo incontro.")
    b = disc.thread(world.regional, world.member, f"Aiuti {other}", "Un secondo incontro.")
    for query in forms:
        assert set(disc.found(world.member, query)) == {("thread", a.id), ("thread", b.id)}, query
    page = disc.search(world.member, other)
    assert all("<mark>" in str(hit.title_html) for hit in page.hits)


def test_synonyms_and_forms_are_one_term():
    (nursery,) = terms("asili nido")
    assert nursery.word == "nido" and not nursery.synonyms
    (asili,) = terms("gli asili")
    assert [t.word for t in asili.alternatives] == ["asilo", "nido"]
    assert asili.matches("nidi") and asili.matches("asilo") and not asili.matches("casa")
    assert tsquery(terms("asili familiare")) == \
        "('asilo' | 'nido') & ('familiare' | 'familiari')"
    assert "familiari" in terms("familiare")[0].words()
    assert terms("anziano")[0].matches("anziani")


def test_loan_words_are_asked_in_both_forms():
    (term,) = terms("Caregivers")
    assert term.word == "caregiver" and term.variants == ("caregiver", "caregivers")
    assert tsquery(terms("caregiver familiari")) == \
        "('caregiver' | 'caregivers') & ('familiari' | 'familiare')"
    assert term.matches("caregivers") and term.matches("caregiver")
    # Italian words, short words and words ending in "ss" are left alone
    assert [t.variants for t in terms("asili nidi bus stress")] == [(), (), ()]  # asili nidi: one


@pytest.mark.parametrize("query", ["asili", "asilo nido", "nido"])
def test_library_nido_for_asilo_nido(client, world, app, query):
    from tests.practices.helpers import Practices

    Practices(app).make(world.regional.slug, world.coordinator.id, title="Nido aziendale",
                        summary="Posti per i figli dei dipendenti.", visibility="registrati")
    client.login(world.member.email)
    page = client.get("/pratiche/", query_string={"q": query}).get_data(as_text=True)
    assert "1 scheda" in page
