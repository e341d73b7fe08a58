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


@pytest.mark.parametrize("query", ["asili", "asilo nido", "caregivers", "nidi"])
def test_library_forms(client, world, app, query):
    from tests.practices.helpers import Practices

    Practices(app).make(world.regional.slug, world.coordinator.id, title="Asilo nido aziendale",
                        summary="Posti nei nidi per i figli dei caregiver.",
                        visibility="registrati")
    client.login(world.member.email)
    page = client.get("/pratiche/", query_string={"q": query}).get_data(as_text=True)
    assert "1 scheda" in page


def test_loan_words_are_asked_in_both_forms():
    (term,) = terms("Caregivers")
    assert term.word == "caregiver" and term.variants == ("caregiver", "caregivers")
    assert tsquery(terms("caregiver familiari")) == "('caregiver' | 'caregivers') & 'familiari'"
    assert term.matches("caregivers") and term.matches("caregiver")
    # Italian words, short words and words ending in "ss" are left alone
    assert [t.variants for t in terms("asili nidi bus stress")] == [(), (), (), ()]
