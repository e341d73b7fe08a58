"""On the English interface, what people wrote (in Italian) is marked lang="it" (WCAG 3.1.2);
on the Italian interface no attribute is needed."""
from __future__ import annotations

import re

from cop.discussions import services as discussions
from cop.extensions import db
from tests.practices.helpers import Practices
from tests.stories.helpers import thread

LANG_IT = re.compile(r'<(\w+)[^>]*\blang="it"[^>]*>')


def _marked(page: str, text: str) -> bool:
    """Whether `text` is inside an element that says lang="it"."""
    at = page.index(text)
    for match in LANG_IT.finditer(page, 0, at):
        closing = page.find(f"</{match.group(1)}>", match.end())
        if closing > at:
            return True
    return False


def _english(client):
    client.post("/lingua", {"lang": "en", "next": "/"})


def test_a_thread_and_its_posts_are_marked_italian_in_english(app, client, world):
    thread_id = thread(app, world.reserved.id, world.coordinator.id, "Sportelli aperti il sabato?")
    client.login(world.member.email)
    url = f"/spazi/{world.reserved.slug}/discussioni/{thread_id}"
    page = client.get(url).get_data(as_text=True)
    assert '<h2 class="h2">Sportelli aperti il sabato?</h2>' in page  # Italian interface: none

    _english(client)
    page = client.get(url).get_data(as_text=True)
    assert '<html lang="en"' in page
    assert _marked(page, "Sportelli aperti il sabato?</h2>")
    assert _marked(page, "Qualcuno ha provato?")
    threads = client.get(f"/spazi/{world.reserved.slug}/discussioni/").get_data(as_text=True)
    assert _marked(threads, "Sportelli aperti il sabato?</a>")


def test_a_practice_and_the_showcase_record_are_marked_italian_in_english(app, client, world):
    practice_id = Practices(app).make(world.reserved.slug, world.coordinator.id,
                                      title="Sportello caregiver", visibility="pubblica")
    client.login(world.member.email)
    _english(client)
    for url in (f"/pratiche/{practice_id}", f"/vetrina/{practice_id}"):
        page = client.get(url).get_data(as_text=True)
        assert _marked(page, "Sportello caregiver</h1>"), url
        assert _marked(page, "Orientamento dei caregiver familiari ai servizi."), url
        assert _marked(page, "Lezioni"), url
        assert _marked(page, "Un bisogno"), url


def test_practice_cards_are_marked_italian_in_english(app, client, world):
    Practices(app).make(world.reserved.slug, world.coordinator.id, title="Sportello caregiver")
    client.login(world.member.email)
    _english(client)
    page = client.get("/pratiche/").get_data(as_text=True)
    assert _marked(page, "Sportello caregiver</a>")
    assert _marked(page, "Orientamento dei caregiver familiari ai servizi.")
