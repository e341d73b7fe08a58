"""Telling value stories from a thread, a practice, a meeting or a space; the space's stories
by cycle; one story's page; editing and deleting; the counts for the dashboard."""
from __future__ import annotations

import json
import re

from sqlalchemy import select

from cop.discussions.models import Thread
from cop.extensions import db
from cop.stories import queries
from cop.stories.models import ValueStory
from tests.meetings.helpers import Meetings
from tests.practices.helpers import Practices
from tests.stories.helpers import answer, story, story_form, thread


def _text(response) -> str:
    return response.get_data(as_text=True)


def _stories(app) -> list[ValueStory]:
    with app.app_context():
        rows = db.session.scalars(select(ValueStory).order_by(ValueStory.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def _tell_from(client, page_url: str) -> str:
    """Follows the page's «Racconta cosa ti ha cambiato» link and posts the story there."""
    page = _text(client.get(page_url))
    match = re.search(r'<a href="([^"]+)">Racconta cosa ti ha cambiato</a>', page)
    assert match, f"no link to tell a story on {page_url}"
    new_url = match.group(1).replace("&amp;", "&")
    form = _text(client.get(new_url))
    assert "Valore applicato: ho cambiato qualcosa nel mio lavoro" in form  # cycles explained
    response = client.post(new_url, story_form())
    assert response.status_code == 302
    return response.headers["Location"]


def test_a_story_about_each_kind_of_subject(app, client, world):
    slug = world.reserved.slug
    thread_id = thread(app, world.reserved.id, world.coordinator.id)
    answer(app, thread_id, world.coordinator.id)
    practice_id = Practices(app).make(slug, world.coordinator.id, title="Sportello caregiver")
    meeting_id = Meetings(app).past(slug, world.coordinator.id, title="Tavolo di marzo")
    client.login(world.member.email)
    pages = {"thread": f"/spazi/{slug}/discussioni/{thread_id}",
             "practice": f"/pratiche/{practice_id}", "meeting": f"/incontri/{meeting_id}"}
    titles = {"thread": "Sportelli aperti il sabato?", "practice": "Sportello caregiver",
              "meeting": "Tavolo di marzo"}
    ids = {"thread": thread_id, "practice": practice_id, "meeting": meeting_id}
    for kind, url in pages.items():
        assert "storia di valore raccontata" not in _text(client.get(url))
        story_url = _tell_from(client, url)
        page = _text(client.get(story_url))
        assert "Lo sportello ora apre anche il sabato" in page
        assert "<strong>due ore</strong>" in page and "Valore applicato" in page
        assert titles[kind] in page and "Membro Alleanza" in page
        told = _stories(app)[-1]
        assert (told.space_id, told.author_id, told.subject_type, told.subject_id,
                told.subject_title) == (world.reserved.id, world.member.id, kind, ids[kind],
                                        titles[kind])
        # the subject's page counts it and links to the stories about it
        page = _text(client.get(url))
        assert "1 storia di valore raccontata" in page
        listing = re.search(r'<a href="([^"]+)">1 storia di valore raccontata</a>', page)
        about = _text(client.get(listing.group(1).replace("&amp;", "&")))
        assert f"Solo le storie su: {titles[kind]}" in about
    # the story page links back to its subject
    page = _text(client.get(f"/spazi/{slug}/storie/{_stories(app)[0].id}"))
    assert f'href="/spazi/{slug}/discussioni/{thread_id}"' in page


def test_a_story_about_the_space_and_the_list_by_cycle(app, client, world):
    slug = world.reserved.slug
    client.login(world.member.email)
    page = _text(client.get(f"/spazi/{slug}/storie/"))
    assert "Nessuna storia di questo tipo" in page
    response = client.post(f"/spazi/{slug}/storie/nuova", story_form(
        cycle="riformulazione", title="Abbiamo cambiato gli indicatori della rete",
        body="<script>alert(1)</script>Contiamo le famiglie, non gli sportelli."))
    assert response.status_code == 302
    told = _stories(app)[0]
    assert told.subject_type is None and told.cycle == "riformulazione"
    assert "<script>" not in told.body_html and "Contiamo le famiglie" in told.body_html
    story(app, world.reserved.id, world.coordinator.id, cycle="immediato",
          title="Un contatto prezioso in ATS")
    page = _text(client.get(f"/spazi/{slug}/storie/"))
    assert page.index("Un contatto prezioso in ATS") < page.index("Abbiamo cambiato gli")
    assert "Riformulazione (1)" in page and "Valore immediato (1)" in page
    assert "Valore applicato (0)" in page
    page = _text(client.get(f"/spazi/{slug}/storie/?ciclo=immediato"))
    assert "Un contatto prezioso in ATS" in page and "Abbiamo cambiato gli" not in page
    home = _text(client.get(f"/spazi/{slug}/"))
    assert "Storie di valore" in home and "Un contatto prezioso in ATS" in home


def test_bad_input_is_explained_and_kept(app, client, world):
    slug = world.reserved.slug
    thread_id = thread(app, world.reserved.id, world.coordinator.id)
    client.login(world.member.email)
    url = f"/spazi/{slug}/storie/nuova?su=thread&id={thread_id}"
    response = client.post(url, story_form(cycle="", title="No"))
    page = _text(response)
    assert response.status_code == 400
    assert "Scegli uno dei cicli di valore." in page
    assert "Il titolo va da 5 a 160 caratteri." in page
    assert 'value="No"' in page and "spostato **due ore** al sabato" in page
    assert "Sportelli aperti il sabato?" in page  # still about the thread
    response = client.post(url, story_form(cycle="inventato", body="   "))
    page = _text(response)
    assert response.status_code == 400 and "Racconta la tua storia." in page
    assert 'value="Lo sportello ora apre anche il sabato"' in page
    assert _stories(app) == []
    # a subject that is not of this space, or does not exist, is not found
    other = thread(app, world.regional.id, world.coordinator.id, "Nello spazio regionale")
    assert client.get(f"/spazi/{slug}/storie/nuova?su=thread&id={other}").status_code == 404
    assert client.get(f"/spazi/{slug}/storie/nuova?su=thread&id=99999").status_code == 404
    assert client.get(f"/spazi/{slug}/storie/nuova?su=altro&id=1").status_code == 404
    assert client.get(f"/spazi/{slug}/storie/nuova?su=thread&id=x").status_code == 404


def test_edit_and_delete_by_author_or_managers(app, client, new_client, factory, world):
    slug = world.reserved.slug
    story_id = story(app, world.reserved.id, world.member.id, title="La mia prima storia")
    another = factory.user(name="Altro Membro")
    factory.member(world.reserved, another)
    other = new_client()
    other.login(another.email)
    page = _text(other.get(f"/spazi/{slug}/storie/{story_id}"))
    assert "La mia prima storia" in page and "/modifica" not in page
    assert other.get(f"/spazi/{slug}/storie/{story_id}/modifica").status_code == 403
    assert other.post(f"/spazi/{slug}/storie/{story_id}/elimina").status_code == 403

    client.login(world.member.email)
    form = _text(client.get(f"/spazi/{slug}/storie/{story_id}/modifica"))
    assert 'value="La mia prima storia"' in form
    response = client.post(f"/spazi/{slug}/storie/{story_id}/modifica", story_form(
        cycle="realizzato", title="La mia storia, corretta", body="Testo *nuovo*."))
    assert response.status_code == 302
    told = _stories(app)[0]
    assert (told.cycle, told.title, told.body_html) == (
        "realizzato", "La mia storia, corretta", "<p>Testo <em>nuovo</em>.</p>")
    bad = client.post(f"/spazi/{slug}/storie/{story_id}/modifica", story_form(title=""))
    assert bad.status_code == 400 and "Scrivi un titolo." in _text(bad)

    # the ATS referent manages the Alleanza's space: edits and deletes
    referent = new_client()
    referent.login(world.referent.email)
    assert referent.get(f"/spazi/{slug}/storie/{story_id}/modifica").status_code == 200
    response = referent.post(f"/spazi/{slug}/storie/{story_id}/elimina")
    assert response.status_code == 302 and response.headers["Location"] == f"/spazi/{slug}/storie/"
    assert _stories(app) == []
    assert client.get(f"/spazi/{slug}/storie/{story_id}").status_code == 404


def test_counts_by_cycle_for_the_dashboard(app, world):
    for cycle, n in (("immediato", 3), ("applicato", 2), ("riformulazione", 1)):
        for i in range(n):
            story(app, world.reserved.id, world.member.id, cycle=cycle, title=f"Storia {cycle} {i}")
    story(app, world.regional.id, world.member.id, cycle="potenziale")  # another space
    with app.app_context():
        rows = db.session.execute(queries.stories_by_cycle(world.reserved.id)).all()
        assert sorted((c, n) for c, n in rows) == [("applicato", 2), ("immediato", 3),
                                                   ("riformulazione", 1)]


def test_export_and_deletion_of_the_account(app, client, world):
    thread_id = thread(app, world.reserved.id, world.coordinator.id)
    story(app, world.reserved.id, world.member.id, title="Raccontata dal membro",
          subject=(Thread, thread_id))
    story(app, world.reserved.id, world.coordinator.id, title="Raccontata da altri")
    client.login(world.member.email)
    data = json.loads(_text(client.get("/profilo/dati.json")))
    assert [s["title"] for s in data["value_stories"]] == ["Raccontata dal membro"]
    assert data["value_stories"][0]["subject_title"] == "Sportelli aperti il sabato?"
    assert data["onboarding"] is None
    response = client.post("/profilo/elimina", {"password": world.member.password,
                                                "confirm": "y"})
    assert response.headers["Location"] == "/accedi"
    assert [s.title for s in _stories(app)] == ["Raccontata da altri"]


def test_the_list_runs_a_constant_number_of_statements(app, client, world, count_queries):
    slug = world.reserved.slug
    thread_id = thread(app, world.reserved.id, world.coordinator.id)
    client.login(world.member.email)

    def measure() -> dict:
        counts = {}
        for url in (f"/spazi/{slug}/storie/", f"/spazi/{slug}/storie/?ciclo=applicato",
                    f"/spazi/{slug}/", f"/spazi/{slug}/discussioni/{thread_id}"):
            client.get(url)
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            counts[url] = len(statements)
        return counts

    story(app, world.reserved.id, world.member.id, subject=(Thread, thread_id))
    small = measure()
    for i in range(30):
        story(app, world.reserved.id, world.coordinator.id if i % 2 else world.member.id,
              cycle=["immediato", "applicato", "realizzato"][i % 3], title=f"Storia numero {i}",
              subject=(Thread, thread_id) if i % 4 else None)
    large = measure()
    assert large == small
    assert small[f"/spazi/{slug}/storie/"] <= 10, small


def test_no_story_is_asked_of_a_brand_new_thread_or_a_future_meeting(app, client, world):
    slug = world.reserved.slug
    thread_id = thread(app, world.reserved.id, world.coordinator.id)
    meeting_id = Meetings(app).make(slug, world.coordinator.id, title="Tavolo di marzo")
    client.login(world.member.email)
    thread_url, meeting_url = f"/spazi/{slug}/discussioni/{thread_id}", f"/incontri/{meeting_id}"
    assert "Racconta cosa ti ha cambiato" not in _text(client.get(thread_url))
    assert "Racconta cosa ti ha cambiato" not in _text(client.get(meeting_url))
    answer(app, thread_id, world.coordinator.id)
    assert "Racconta cosa ti ha cambiato" in _text(client.get(thread_url))
