"""The library: facets, search, access in every channel, adoption, exports, showcase, reports."""
from __future__ import annotations

import json

from sqlalchemy import select

from cop.extensions import db
from cop.practices.models import Practice
from tests.practices.helpers import Practices


def _world_with_records(app, world, factory):
    """A reserved Alleanza record of each visibility, a draft, and a regional one."""
    p = Practices(app)
    ids = {
        "space": p.make(world.reserved.slug, world.member.id,
                        title="Maggiordomo aziendale riservato",
                        area="maggiordomo_aziendale", target="imprese",
                        summary="Servizi salvatempo per i dipendenti di piccole imprese"),
        "signed_in": p.make(world.reserved.slug, world.member.id, visibility="registrati",
                            title="Sportello caregiver per tutti",
                            summary="Orientamento dei caregiver familiari"),
        "public": p.make(world.reserved.slug, world.member.id, visibility="pubblica",
                         title="Centro estivo aperto", area="pre_post_scuola",
                         summary="Centri estivi per i figli dei dipendenti"),
        "draft": p.make(world.reserved.slug, world.member.id, status="bozza",
                        title="Bozza segreta di conciliazione", summary="Ancora da scrivere"),
        "regional": p.make(world.regional.slug, world.coordinator.id,
                           title="Smart working nei comuni", area="piano_smart_working",
                           target="imprese", summary="Piani di lavoro agile per i comuni"),
    }
    return ids


def test_outsiders_see_only_what_the_writers_opened(client, world, app, factory):
    ids = _world_with_records(app, world, factory)
    client.login(world.outsider.email)
    page = client.get("/pratiche/").get_data(as_text=True)
    assert "Sportello caregiver per tutti" in page and "Centro estivo aperto" in page
    assert "Smart working nei comuni" in page
    assert "Maggiordomo aziendale riservato" not in page and "Bozza segreta" not in page
    assert "3 schede" in page
    assert client.get(f"/pratiche/{ids['space']}").status_code == 404
    assert client.get(f"/pratiche/{ids['draft']}").status_code == 404
    assert client.get(f"/pratiche/{ids['draft']}/versioni/1").status_code == 404
    # search, facets, exports and the drafts tab say the same
    for url in ("/pratiche/?q=maggiordomo", "/pratiche/?scheda=in_lavorazione",
                "/cerca?q=maggiordomo", "/cerca?q=bozza+segreta"):
        body = client.get(url).get_data(as_text=True)
        assert "Maggiordomo aziendale riservato" not in body and "Bozza segreta" not in body, url
    facets = client.get("/pratiche/?area=maggiordomo_aziendale").get_data(as_text=True)
    assert "0 schede" in facets
    exported = json.loads(client.get("/pratiche/esporta.json").get_data(as_text=True))
    assert sorted(r["titolo"] for r in exported["pratiche"]) == [
        "Centro estivo aperto", "Smart working nei comuni", "Sportello caregiver per tutti"]
    csv_text = client.get("/pratiche/esporta.csv").get_data(as_text=True)
    assert "Maggiordomo" not in csv_text and "Centro estivo aperto" in csv_text


def test_members_see_their_space_records_and_drafts(client, world, app, factory):
    ids = _world_with_records(app, world, factory)
    client.login(world.member.email)
    page = client.get("/pratiche/").get_data(as_text=True)
    assert "Maggiordomo aziendale riservato" in page and "4 schede" in page
    drafts = client.get("/pratiche/?scheda=in_lavorazione").get_data(as_text=True)
    assert "Bozza segreta di conciliazione" in drafts
    assert client.get(f"/pratiche/{ids['draft']}").status_code == 200


def test_facet_counts_follow_the_other_filters(client, world, app, factory):
    _world_with_records(app, world, factory)
    client.login(world.member.email)
    page = client.get("/pratiche/?destinatari=imprese").get_data(as_text=True)
    assert "2 schede" in page
    # the target facet still offers «persone» with its own count
    assert 'value="persone"' in page
    both = client.get("/pratiche/?destinatari=imprese&destinatari=persone").get_data(as_text=True)
    assert "4 schede" in both


def test_search_finds_records_by_stem_and_ranks(client, world, app, factory):
    ids = _world_with_records(app, world, factory)
    client.login(world.outsider.email)
    page = client.get("/pratiche/?q=orientare").get_data(as_text=True)
    assert "Sportello caregiver per tutti" in page and "1 scheda" in page
    found = client.get("/cerca?q=centri+estivi").get_data(as_text=True)
    assert f'href="/pratiche/{ids["public"]}"' in found and "<mark>estivo</mark>" in found


def test_adopting_a_record_shows_where_it_travelled(client, new_client, world, app, factory):
    ids = _world_with_records(app, world, factory)
    other = factory.space(slug="alleanza-bergamo-2")
    adopter = factory.user(name="Operatrice Bergamo Due")
    factory.member(other, adopter)
    client.login(adopter.email)
    page = client.get(f"/pratiche/{ids['signed_in']}").get_data(as_text=True)
    assert "riusata o adattata?" in page, page[page.find("Dove ha viaggiato"):][:800]
    alleanza = factory.alleanza("BG", 2)
    response = client.post(f"/pratiche/{ids['signed_in']}/adotta", {
        "alleanza_id": str(alleanza.id), "kind": "adattata", "note": "Con orari serali."})
    assert response.status_code == 302
    page = client.get(f"/pratiche/{ids['signed_in']}").get_data(as_text=True)
    assert alleanza.name in page and "Con orari serali." in page
    assert Practices(app).get(ids["signed_in"]).adoption_count == 1
    # again: the same adoption is updated, not counted twice
    client.post(f"/pratiche/{ids['signed_in']}/adotta", {
        "alleanza_id": str(alleanza.id), "kind": "riusata", "note": "Così com'è."})
    assert Practices(app).get(ids["signed_in"]).adoption_count == 1
    ordered = client.get("/pratiche/?ordine=adozioni").get_data(as_text=True)
    assert ordered.index("Sportello caregiver per tutti") < ordered.index("Centro estivo aperto")
    # the writers' own Alleanza cannot adopt its record
    own = factory.alleanza("BG", 1)
    writer = new_client()
    writer.login(world.member.email)
    assert writer.post(f"/pratiche/{ids['signed_in']}/adotta", {
        "alleanza_id": str(own.id), "kind": "riusata"}).status_code == 403


def test_the_public_showcase_shows_only_public_records(client, world, app, factory):
    ids = _world_with_records(app, world, factory)
    page = client.get("/vetrina/").get_data(as_text=True)
    assert "Centro estivo aperto" in page
    assert "Sportello caregiver per tutti" not in page and "Maggiordomo" not in page
    assert client.get(f"/vetrina/{ids['public']}").status_code == 200
    assert client.get(f"/vetrina/{ids['signed_in']}").status_code == 404
    assert client.get(f"/pratiche/{ids['public']}").status_code == 302  # sign in first


def test_similar_practices_and_the_overlap_report(client, world, app, factory):
    p = Practices(app)
    first = p.make(world.reserved.slug, world.member.id, title="Sportello caregiver Albino",
                   summary="Sportello di orientamento per caregiver familiari anziani",
                   municipalities="Albino\nNembro")
    other = factory.space(slug="alleanza-bergamo-2")
    factory.member(other, world.member)
    p.make("alleanza-bergamo-2", world.member.id, title="Punto caregiver Nembro",
           summary="Orientamento dei caregiver familiari di persone anziane",
           municipalities="Nembro")
    p.make("alleanza-bergamo-2", world.member.id, title="Doposcuola", area="pre_post_scuola",
           summary="Doposcuola per i figli")
    client.login(world.member.email)
    page = client.get(f"/pratiche/{first}").get_data(as_text=True)
    similar = page[page.index("Pratiche simili"):]
    assert "Punto caregiver Nembro" in similar and "Doposcuola" not in similar
    report = client.get(f"/pratiche/sovrapposizioni?ats={_ats_id(app, first)}")
    text = report.get_data(as_text=True)
    assert "Sportello caregiver Albino" in text and "Punto caregiver Nembro" in text
    assert "Comuni in comune: Nembro" in text and "Doposcuola" not in text


def _ats_id(app, practice_id):
    with app.app_context():
        return db.session.scalar(select(Practice.ats_id).where(Practice.id == practice_id))


def test_comments_go_to_a_linked_thread_readable_by_the_record_readers(
        client, world, app, factory):
    ids = _world_with_records(app, world, factory)
    client.login(world.outsider.email)
    response = client.post(f"/pratiche/{ids['signed_in']}/commenta",
                           {"body": "L'abbiamo provata anche noi."})
    assert response.status_code == 302
    page = client.get(f"/pratiche/{ids['signed_in']}").get_data(as_text=True)
    assert "abbiamo provata anche noi." in page
    assert "Tutta la discussione" in page
    # the thread of a record read beyond its reserved space is in the regional library space
    with app.app_context():
        from cop.discussions.models import Thread
        thread = db.session.scalar(select(Thread))
        assert thread.space.slug == "biblioteca-buone-pratiche"
