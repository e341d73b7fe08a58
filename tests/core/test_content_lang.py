"""On the English interface, what people wrote (in Italian) is marked lang="it" (WCAG 3.1.2);
on the Italian interface no attribute is needed."""
from __future__ import annotations

import re

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


def test_search_results_are_marked_italian_in_english(app, client, world):
    thread(app, world.reserved.id, world.coordinator.id, "Sportelli aperti il sabato?")
    client.login(world.member.email)
    _english(client)
    page = client.get("/cerca", query_string={"q": "sportelli"}).get_data(as_text=True)
    assert '<html lang="en"' in page
    assert _marked(page, "</mark> aperti il sabato?")  # the title
    assert _marked(page, "Qualcuno ha provato?")  # the excerpt


def _profile(app, person, *, job_title: str, bio: str, topics: str, trainer: dict | None = None):
    from cop.account import services as account
    from cop.auth.models import User
    from tests.directory.helpers import profile

    with app.app_context():
        user = db.session.get(User, person.id)
        account.update_profile(user, name=user.name, job_title=job_title, bio=bio,
                              locale=user.locale)
        db.session.commit()
    profile(app, person, levels={"E3": 3}, topics=topics, trainer=trainer)


def test_directory_matches_are_marked_italian_in_english(app, client, world, factory):
    topics = factory.user(name="Tina Temi")
    bio = factory.user(name="Bruno Bio")
    _profile(app, topics, job_title="Educatrice di quartiere", bio="",
             topics="orti condivisi", trainer={"topics": "orti sociali",
                                               "availability": "il martedì pomeriggio"})
    _profile(app, bio, job_title="Assistente sociale", topics="",
             bio="Coordino gli orti del quartiere con le scuole.")
    client.login(world.member.email)
    _english(client)
    page = client.get("/rubrica/", query_string={"q": "orti"}).get_data(as_text=True)
    assert "Tina Temi" in page and "Bruno Bio" in page
    assert _marked(page, "</mark> condivisi")  # the topics that matched
    assert _marked(page, "</mark> del quartiere con le scuole.")  # the presentation
    assert _marked(page, "Educatrice di quartiere")  # the job title
    page = client.get("/rubrica/formatori", query_string={"q": "orti"}).get_data(as_text=True)
    assert _marked(page, "</mark> sociali")
    assert _marked(page, "il martedì pomeriggio")
    assert _marked(page, "Educatrice di quartiere")


def test_the_version_comparison_is_marked_italian_in_english(app, client, world):
    from sqlalchemy import select

    from cop.practices.models import Practice, PracticeVersion
    from tests.practices.helpers import form_data

    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="bozza",
                                      title="Centro estivo aziendale")
    with app.app_context():
        practice = db.session.get(Practice, practice_id)
        ats_id, version = practice.ats_id, practice.version_count
    client.login(world.member.email)
    data = form_data(title="Centro estivo interaziendale", ats_id=str(ats_id),
                     base_version=str(version), note="titolo più chiaro",
                     contact_id=str(world.member.id))
    assert client.post(f"/pratiche/{practice_id}/modifica", data).status_code == 302
    with app.app_context():
        number = db.session.scalar(select(PracticeVersion.number).where(
            PracticeVersion.practice_id == practice_id).order_by(PracticeVersion.number.desc()))
    _english(client)
    page = client.get(f"/pratiche/{practice_id}/versioni/{number}").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert _marked(page, "<del>Centro estivo aziendale</del>")
    assert _marked(page, "titolo più chiaro")
