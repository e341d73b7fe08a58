"""Stories never leak: a reserved space's stories do not exist for outsiders; a story about a
hidden thread, a draft practice or a meeting one may not see is not shown, listed or counted."""
from __future__ import annotations

from sqlalchemy import select

from cop import access
from cop.auth.models import User
from cop.discussions.models import Thread
from cop.extensions import db
from cop.meetings.models import Meeting
from cop.practices.models import Practice
from cop.stories import queries
from cop.stories.models import ValueStory
from tests.meetings.helpers import Meetings
from tests.practices.helpers import Practices
from tests.stories.helpers import story, story_form, thread


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_an_outsider_finds_nothing_of_a_reserved_space(app, client, world):
    slug = world.reserved.slug
    story_id = story(app, world.reserved.id, world.member.id, title="Storia riservata")
    client.login(world.outsider.email)
    for url in (f"/spazi/{slug}/storie/", f"/spazi/{slug}/storie/{story_id}",
                f"/spazi/{slug}/storie/nuova", f"/spazi/{slug}/storie/{story_id}/modifica"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/spazi/{slug}/storie/nuova", story_form()).status_code == 404
    assert client.post(f"/spazi/{slug}/storie/{story_id}/elimina").status_code == 404
    # nor through another space's address
    assert client.get(f"/spazi/{world.regional.slug}/storie/{story_id}").status_code == 404
    with app.app_context():
        outsider = db.session.get(User, world.outsider.id)
        assert db.session.scalars(select(ValueStory.id).where(
            access.visible_stories_clause(outsider))).all() == []


def test_a_practice_read_beyond_its_space_keeps_its_stories_inside(app, client, world):
    """A record shown to everybody signed in: the outsider reads it, but the stories told in the
    reserved space are neither counted nor offered to them."""
    practice_id = Practices(app).make(world.reserved.slug, world.coordinator.id,
                                      visibility="registrati", title="Nidi aziendali condivisi")
    story(app, world.reserved.id, world.member.id, subject=(Practice, practice_id))
    client.login(world.outsider.email)
    page = _text(client.get(f"/pratiche/{practice_id}"))
    assert "Nidi aziendali condivisi" in page
    assert "storia di valore" not in page and "Racconta cosa ti ha cambiato" not in page
    assert client.get(f"/spazi/{world.reserved.slug}/storie/nuova?su=practice&id="
                      f"{practice_id}").status_code == 404


def test_a_story_about_a_hidden_thread_is_not_shown_to_members(app, client, new_client, world,
                                                              factory):
    slug = world.reserved.slug
    author = factory.user(name="Autrice Discussione")
    factory.member(world.reserved, author)
    thread_id = thread(app, world.reserved.id, author.id, "Una discussione da nascondere")
    story_id = story(app, world.reserved.id, world.member.id, title="Storia sulla discussione",
                     subject=(Thread, thread_id))
    open_id = story(app, world.reserved.id, world.member.id, title="Storia sullo spazio")
    coordinator = new_client()
    coordinator.login(world.coordinator.email)
    assert coordinator.post(f"/spazi/{slug}/discussioni/{thread_id}/modera",
                            {"azione": "nascondi", "reason": "Fuori tema"}).status_code == 302

    client.login(world.member.email)  # the story's own author, who no longer sees the thread
    listing = _text(client.get(f"/spazi/{slug}/storie/"))
    assert "Storia sullo spazio" in listing and "Storia sulla discussione" not in listing
    assert "Valore applicato (1)" in listing  # counted only where readable
    assert client.get(f"/spazi/{slug}/storie/{story_id}").status_code == 404
    assert client.get(f"/spazi/{slug}/storie/{open_id}").status_code == 200
    assert "Storia sulla discussione" not in _text(client.get(f"/spazi/{slug}/"))
    assert client.get(f"/spazi/{slug}/storie/?su=thread&id={thread_id}").status_code == 404

    # the managers and the thread's author still see the thread, and so the story
    page = _text(coordinator.get(f"/spazi/{slug}/storie/{story_id}"))
    assert "Storia sulla discussione" in page
    writer = new_client()
    writer.login(author.email)
    assert writer.get(f"/spazi/{slug}/storie/{story_id}").status_code == 200
    assert "1 storia di valore raccontata" in _text(
        writer.get(f"/spazi/{slug}/discussioni/{thread_id}"))
    with app.app_context():
        member = db.session.get(User, world.member.id)
        assert dict(db.session.execute(queries.stories_by_cycle(world.reserved.id,
                                                                member)).all()) == {
            "applicato": 1}
        assert dict(db.session.execute(queries.stories_by_cycle(world.reserved.id)).all()) == {
            "applicato": 2}  # the dashboard's counts show no content


def test_a_story_about_a_draft_practice_stays_with_its_writers(app, client, world):
    """A draft is read by its writers; the other readers of a regional space see neither the
    draft nor the stories about it."""
    practice_id = Practices(app).make(world.regional.slug, world.coordinator.id,
                                      status="bozza", title="Bozza sul lavoro agile")
    story(app, world.regional.id, world.coordinator.id, title="Storia sulla bozza",
          subject=(Practice, practice_id))
    story(app, world.regional.id, world.coordinator.id, title="Storia aperta a tutti")
    client.login(world.outsider.email)  # a regional space: visible to everybody signed in
    listing = _text(client.get(f"/spazi/{world.regional.slug}/storie/"))
    assert "Storia aperta a tutti" in listing and "Storia sulla bozza" not in listing


def test_an_invited_outsider_sees_the_meeting_not_the_stories(app, client, world):
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                    invite_ids=[world.outsider.id], title="Incontro aperto")
    story(app, world.reserved.id, world.member.id, subject=(Meeting, meeting_id))
    client.login(world.outsider.email)
    page = _text(client.get(f"/incontri/{meeting_id}"))
    assert "Incontro aperto" in page
    assert "storia di valore" not in page and "Racconta cosa ti ha cambiato" not in page
