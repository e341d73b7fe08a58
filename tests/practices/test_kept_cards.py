"""The library's record cards are kept between requests (cop/practices/cards.py): a kept card
is the card that would be drawn, and what a card shows changes at once when its record, the
labels it shows or the reader's language do."""
from __future__ import annotations

import re

from cop.extensions import db
from cop.practices.models import Practice
from cop.reference.models import InterventionArea
from tests.conftest import Client
from tests.practices.helpers import Practices


def _cards(page: str) -> list[str]:
    return re.findall(r'<li class="cop-practice-card.*?</li>', page, re.DOTALL)


def _records(app, world) -> dict[str, int]:
    p = Practices(app)
    return {
        "caregiver": p.make(world.regional.slug, world.coordinator.id,
                            title="Sportello caregiver <per tutti>",
                            summary="Orientamento dei caregiver & delle famiglie"),
        "summer": p.make(world.regional.slug, world.coordinator.id, title="Centro estivo",
                         area="pre_post_scuola", summary="Centri estivi per i figli"),
    }


def test_a_kept_card_is_the_card_drawn(make_app, world):
    kept_app, drawing_app = make_app(), make_app(PRACTICE_CARD_CACHE=0)
    _records(kept_app, world)
    pages = []
    for app in (kept_app, kept_app, drawing_app):  # drawn and kept, then from the cache
        client = Client(app)
        client.login(world.member.email)
        for url in ("/pratiche/", "/pratiche/?q=caregiver", f"/spazi/{world.regional.slug}/"):
            pages.append((url, _cards(client.get(url).get_data(as_text=True))))
    first, kept, drawn = pages[:3], pages[3:6], pages[6:]
    assert all(cards for _, cards in first)
    assert kept == first == drawn
    assert "Sportello caregiver &lt;per tutti&gt;" in "".join(first[0][1])
    assert "<mark>" in "".join(first[1][1])  # the words found, highlighted


def test_what_a_card_shows_changes_at_once(app, world, client):
    ids = _records(app, world)
    client.login(world.member.email)

    def cards() -> str:
        return "".join(_cards(client.get("/pratiche/").get_data(as_text=True)))

    def change(**values) -> None:
        with app.app_context():
            practice = db.session.get(Practice, ids["summer"])
            for name, value in values.items():
                setattr(practice, name, value)
            db.session.commit()

    assert "Centro estivo" in cards()
    change(adoption_count=2)  # one thing at a time: each alone must show
    assert "adottata da 2 Alleanze" in cards()
    change(title="Centro estivo comunale")
    assert "Centro estivo comunale" in cards()
    change(summary="Anche a luglio")
    assert "Anche a luglio" in cards()
    with app.app_context():
        db.session.get(InterventionArea, "pre_post_scuola").label_it = "Servizi prima e dopo"
        db.session.commit()
    assert "Servizi prima e dopo" in cards()


def test_each_reader_gets_the_cards_in_their_language(app, world, new_client):
    _records(app, world)
    italian, english = new_client(), new_client()
    italian.login(world.member.email)
    english.login(world.coordinator.email)
    english.post("/lingua", {"lang": "en"})
    for _ in range(2):  # drawn, then kept: each in their own language
        cards = "".join(_cards(italian.get("/pratiche/").get_data(as_text=True)))
        assert "Servizi di assistenza e supporto al caregiver familiare" in cards
        assert "Support services" not in cards and 'lang="it"' not in cards
        cards = "".join(_cards(english.get("/pratiche/").get_data(as_text=True)))
        assert "Support services for family caregivers" in cards
        assert 'lang="it"' in cards  # what people wrote is marked as Italian
