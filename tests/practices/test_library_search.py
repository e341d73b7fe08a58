"""Searching the library: relevance by default when there are words, the matched excerpt with
the words highlighted."""
from __future__ import annotations

import re

from tests.practices.helpers import Practices


def _records(app, world):
    p = Practices(app)
    in_title = p.make(world.regional.slug, world.coordinator.id, visibility="registrati",
                      title="Nido aziendale condiviso",
                      summary="Quattro imprese aprono un servizio per i figli dei dipendenti.")
    in_body = p.make(world.regional.slug, world.coordinator.id, visibility="registrati",
                     title="Catalogo dei servizi del territorio",
                     summary="Centri estivi, sportelli e un nido comunale aperto il sabato.")
    return in_title, in_body


def _selected_sort(page: str) -> str:
    select = page[page.index('id="ordine"'):]
    select = select[:select.index("</select>")]
    return re.search(r'<option value="([^"]*)" selected', select).group(1)


def test_searching_from_the_form_ranks_by_relevance(client, world, app):
    in_title, in_body = _records(app, world)
    client.login(world.member.email)
    page = client.get("/pratiche/").get_data(as_text=True)
    assert _selected_sort(page) == ""  # nothing chosen: the form does not send «più recenti»
    # what the form sends when the person types words and keeps the order as it was
    found = client.get("/pratiche/?scheda=pubblicata&q=nido&ordine=").get_data(as_text=True)
    assert found.index(f'/pratiche/{in_title}"') < found.index(f'/pratiche/{in_body}"')
    # an order chosen explicitly stays
    newest = client.get("/pratiche/?q=nido&ordine=recenti").get_data(as_text=True)
    assert newest.index(f'/pratiche/{in_body}"') < newest.index(f'/pratiche/{in_title}"')
    assert _selected_sort(newest) == "recenti"


def test_results_show_the_matched_excerpt(client, world, app):
    _records(app, world)
    client.login(world.member.email)
    found = client.get("/pratiche/?q=nidi").get_data(as_text=True)
    assert "<mark>nido</mark> comunale aperto il sabato" in found
    assert "<mark>Nido</mark> aziendale condiviso" in found
