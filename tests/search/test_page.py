"""The search page /cerca: signed-in people only, a form that keeps its values, highlighted
results with links, clear messages, and nothing from a space the reader may not see."""
from __future__ import annotations

import html
import re


def _page(client, **args) -> str:
    response = client.get("/cerca", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _results(page: str) -> list[str]:
    """The titles of the results, as text."""
    items = re.findall(r'<h3 class="h5 mb-1">(.*?)</h3>', page, re.DOTALL)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def test_only_signed_in_people_search(client):
    response = client.get("/cerca?q=conciliazione")
    assert response.status_code == 302 and "/accedi" in response.headers["Location"]


def test_an_empty_search_says_what_to_do(client, world):
    client.login(world.member.email)
    page = _page(client)
    assert "Scrivi una o più parole da cercare, oppure scegli un filtro." in page
    assert 'role="search"' in page and '<label class="form-label cop-label" for="q">' in page


def test_results_are_highlighted_linked_and_counted(client, world, disc):
    thread = disc.thread(world.regional, world.member, "Conciliazione e <turni>",
                         "Nella nostra città la conciliazione passa dagli orari.",
                         kind="domanda", tags=["orari"])
    reply = disc.reply(thread, world.coordinator, "Da noi la **conciliazione** è un accordo.")
    client.login(world.member.email)
    page = _page(client, q="conciliare")
    assert "1 risultato per «conciliare»" in page  # the reply is listed under its thread
    assert '<mark>Conciliazione</mark> e &lt;turni&gt;' in page
    assert "Nella nostra città la <mark>conciliazione</mark> passa dagli orari." in page
    assert "Da noi la <mark>conciliazione</mark> è un accordo." in page
    assert f'href="/spazi/{world.regional.slug}/discussioni/{thread.id}"' in page
    assert f'href="/discussioni/messaggi/{reply}"' in page
    assert "Coordinatrice Alleanza" in page and "Smart working" in page and "#orari" in page
    # The link of a reply takes the reader to the post.
    goto = client.get(f"/discussioni/messaggi/{reply}")
    assert goto.status_code == 302 and f"#post-{reply}" in goto.headers["Location"]


def test_the_form_keeps_its_values_and_offers_only_visible_spaces(client, world, disc, factory):
    hidden_space = factory.space(name="Tavolo riservato altrui")
    client.login(world.outsider.email)
    page = _page(client, q="città", spazio=world.regional.id, tipo="proposta",
                 etichetta="nidi", autore="Membro", dal="2024-01-31", al="2024-12-31")
    assert 'value="città"' in page
    assert f'<option selected value="{world.regional.id}">' in page
    assert '<option selected value="proposta">' in page
    assert 'value="nidi"' in page and 'value="Membro"' in page
    assert 'type="date" value="2024-01-31"' in page and 'value="2024-12-31"' in page
    assert "Smart working" in page
    assert "Tavolo riservato altrui" not in page and "Alleanza" not in page.split("<select")[1]
    assert "Nessun risultato." in page
    assert hidden_space


def test_filters_narrow_the_page(client, world, disc):
    disc.thread(world.regional, world.member, "Orari dei nidi", "Orari.", kind="domanda")
    disc.thread(world.regional, world.coordinator, "Orari delle scuole", "Orari.",
                kind="proposta", tags=["scuola"])
    client.login(world.member.email)
    assert sorted(_results(_page(client, q="orari"))) == ["Orari dei nidi", "Orari delle scuole"]
    assert _results(_page(client, q="orari", tipo="domanda")) == ["Orari dei nidi"]
    assert _results(_page(client, q="orari", etichetta="scuola")) == ["Orari delle scuole"]
    assert _results(_page(client, q="orari", autore="coordinatrice")) == ["Orari delle scuole"]
    assert _results(_page(client, autore="membro alleanza")) == ["Orari dei nidi"]
    assert _results(_page(client, q="orari", al="2000-01-01")) == []


def test_bad_dates_are_explained(client, world):
    client.login(world.member.email)
    page = _page(client, q="orari", dal="31-02-2024")
    assert "Non è una data valida: scrivila come 31/12/2024." in page
    assert 'aria-invalid="true"' in page
    page = _page(client, q="orari", dal="2024-05-02", al="2024-05-01")
    assert "La data finale viene prima di quella iniziale." in page
    page = _page(client, q="orari", al="9999-12-31")
    assert "Scegli una data tra il 2000 e il 2999." in page
    assert "risultati per" not in page
    page = _page(client, q="orari", dal="31/01/2024", spazio="abc", pagina="zz")
    assert 'value="2024-01-31"' in page  # a typed day is understood ...
    assert "Il modulo contiene errori" in page  # ... a space that is not offered is not
    assert '<a href="#spazio">Spazio</a>' in page


def test_common_words_and_no_results_have_their_message(client, world, disc):
    disc.thread(world.regional, world.member, "Orari dei nidi", "Orari.")
    client.login(world.member.email)
    assert "Le parole cercate sono troppo comuni" in _page(client, q="di che per")
    assert "Nessun risultato." in _page(client, q="astronave")


def test_a_reserved_space_never_shows_to_an_outsider(client, world, disc, new_client):
    disc.thread(world.reserved, world.member, "Verbale riservato del tavolo",
                "Decisioni riservate sul bilancio.")
    client.login(world.outsider.email)
    for args in ({"q": "riservato"}, {"q": "bilancio"}, {"spazio": world.reserved.id},
                 {"autore": "Membro"}):
        page = _page(client, **args)
        assert _results(page) == [] and "Verbale" not in page and "Decisioni" not in page
    member = new_client()
    member.login(world.member.email)
    assert _results(_page(member, q="bilancio")) == ["Verbale riservato del tavolo"]


def test_pages_of_results(client, world, disc, app):
    app.config["SEARCH_PAGE_SIZE"] = 2
    for i in range(5):
        disc.thread(world.regional, world.member, f"Banca del tempo {i}", "Ore scambiate.")
    client.login(world.member.email)
    first = _page(client, q="banca")
    assert "5 risultati per «banca»" in first and "Pagina 1 di 3" in first
    assert "pagina=2" in first and "q=banca" in first
    last = _page(client, q="banca", pagina=3)
    assert "Pagina 3 di 3" in last and len(_results(last)) == 1
    assert "Pagina 3 di 3" in _page(client, q="banca", pagina=10**30)


def test_the_page_runs_the_same_statements_for_few_or_many_hits(client, world, disc,
                                                                  count_queries):
    disc.thread(world.regional, world.member, "Voucher baby sitter", "Voucher.")
    client.login(world.member.email)

    def statements():
        with count_queries() as seen:
            _page(client, q="voucher")
        return len(seen)

    few = statements()
    for i in range(6):
        thread = disc.thread(world.regional, world.coordinator, f"Voucher {i}", "Voucher.")
        disc.reply(thread, world.member, "Anche noi usiamo i voucher.")
    assert statements() == few


def test_quotes_and_backslashes_are_only_words(client, world, disc):
    """The words go into the statement's text on PostgreSQL (see text_match): whatever is
    typed stays words."""
    disc.thread(world.regional, world.member, "L'asilo nido aziendale",
                "Un asilo aperto anche il sabato.")
    client.login(world.member.email)
    for typed in ("l'asilo", "asilo');--", "asilo \\' \\\\", "'''asilo", "asilo' & !'|"):
        assert _results(_page(client, q=typed)) == ["L'asilo nido aziendale"], typed
