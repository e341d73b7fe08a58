"""The search page shows one result per thread, its matching replies listed under it, and
tags archived records."""
from __future__ import annotations

from tests.search.test_page import _page, _results


def test_a_thread_and_its_replies_are_one_result(client, world, disc):
    thread = disc.thread(world.regional, world.member, "Banca delle ore",
                         "Chi la usa con i turni?")
    first = disc.reply(thread, world.coordinator, "Noi con i turni di notte.")
    second = disc.reply(thread, world.member, "Anche per i turni del sabato.")
    quiet = disc.thread(world.regional, world.member, "Orari dei nidi", "Aperti presto.")
    only_reply = disc.reply(quiet, world.coordinator, "Servono orari adatti ai turni.")
    client.login(world.member.email)
    page = _page(client, q="turni")
    assert "2 risultati per «turni»" in page
    assert sorted(_results(page)) == ["Banca delle ore", "Orari dei nidi"]
    for post_id in (first, second, only_reply):
        assert f'href="/discussioni/messaggi/{post_id}"' in page
    assert "Noi con i <mark>turni</mark> di notte." in page
    # the thread whose replies alone matched links to the thread itself
    assert f'href="/spazi/{world.regional.slug}/discussioni/{quiet.id}"' in page


def test_archived_records_are_tagged(client, world, app):
    from tests.practices.helpers import Practices

    p = Practices(app)
    p.make(world.regional.slug, world.coordinator.id, visibility="registrati",
           status="archiviata", title="Centro estivo di ieri")
    p.make(world.regional.slug, world.coordinator.id, visibility="registrati",
           title="Centro estivo di oggi")
    client.login(world.member.email)
    page = _page(client, q="centro estivo")
    old = page[page.index("</mark> di ieri"):]
    old = old[:old.index("</li>")]
    assert "Archiviata" in old
    new = page[page.index("</mark> di oggi"):]
    assert "Archiviata" not in new[:new.index("</li>")]


def test_filters_without_words_group_by_thread_too(client, world, disc):
    thread = disc.thread(world.regional, world.member, "Banca delle ore", "Chi la usa?")
    disc.reply(thread, world.coordinator, "Noi.")
    disc.reply(thread, world.coordinator, "E anche loro.")
    client.login(world.member.email)
    page = _page(client, autore="coordinatrice")
    assert "1 risultato" in page and _results(page) == ["Banca delle ore"]
