"""The new member's checklist on the home page: each step is ticked by doing the real thing
through the real pages; «Nascondi la lista»; gone once done; one statement."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from cop.auth.models import User
from cop.database import utcnow
from cop.discussions import services as discussions
from cop.extensions import db
from cop.onboarding.models import OnboardingState
from cop.spaces.models import Space


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _checklist(page: str) -> str | None:
    match = re.search(r'<section class="cop-card mb-4 cop-onboarding".*?</section>', page, re.S)
    return match.group(0) if match else None


def _done_steps(section: str) -> list[str]:
    return re.findall(r'<li class="mb-2 cop-step cop-step-done">.*?<span class="fw-semibold">'
                      r'([^<]+)</span>', section, re.S)


def _other_thread(app, world) -> int:
    with app.app_context():
        written = discussions.create_thread(
            db.session.get(Space, world.reserved.id), db.session.get(User, world.coordinator.id),
            title="Orari flessibili negli uffici comunali", kind="domanda", body="Chi li ha?")
        db.session.commit()
        return written.thread.id


def test_each_step_is_ticked_by_doing_it(app, client, world):
    thread_id = _other_thread(app, world)
    client.login(world.member.email)
    section = _checklist(_home(client))
    assert section is not None
    assert "I tuoi primi passi" in section and "0 di 4 fatti" in section
    assert 'value="0"' in section and 'max="4"' in section  # the progress bar
    assert _done_steps(section) == []
    # each open step links to where it is done
    assert 'href="/profilo"' in section and 'href="/profilo/competenze"' in section
    # the form opens with a title suggested for an introduction
    assert f'href="/spazi/{world.reserved.slug}/discussioni/nuova?titolo=Mi+presento"' in section
    assert 'href="/discussioni"' in section

    # 1. the profile: a job title alone is not enough, with the presentation it is
    client.post("/profilo", {"name": "Membro Alleanza", "job_title": "Operatrice di rete",
                             "bio": "", "locale": "it"})
    assert "0 di 4 fatti" in _checklist(_home(client))
    client.post("/profilo", {"name": "Membro Alleanza", "job_title": "Operatrice di rete",
                             "bio": "Seguo lo sportello conciliazione.", "locale": "it"})
    section = _checklist(_home(client))
    assert "1 di 4 fatti" in section and _done_steps(section) == ["Completa il profilo"]

    # 2. a skill
    client.post("/profilo/competenze", {"visibility": "tutti", "topics": "", "languages": "",
                                        "skill_A1": "2"})
    section = _checklist(_home(client))
    assert "2 di 4 fatti" in section
    assert _done_steps(section) == ["Completa il profilo", "Aggiungi le tue competenze"]

    # 3. an introduction in one of their spaces; opening it follows it, which is not step 4
    response = client.post(f"/spazi/{world.reserved.slug}/discussioni/nuova", {
        "title": "Presentazione: Membro Alleanza", "kind": "esperienza",
        "body": "Ciao a tutte e a tutti, lavoro allo sportello.", "tags": ""})
    assert response.status_code == 302
    section = _checklist(_home(client))
    assert "3 di 4 fatti" in section and "Presentati nel tuo spazio" in _done_steps(section)
    assert "Segui una discussione" not in _done_steps(section)

    # 4. follows somebody else's thread: the list says it is complete once, then goes
    client.post("/notifiche/segui", {"thread_id": thread_id, "level": "follow"})
    section = _checklist(_home(client))
    assert "Primi passi completati" in section and "Nascondi la lista" not in section
    with app.app_context():
        state = db.session.get(OnboardingState, world.member.id)
        assert state.completed_at is not None and state.dismissed_at is None
    assert _checklist(_home(client)) is None


def test_a_reply_in_a_space_of_theirs_counts_as_the_introduction(app, client, world):
    thread_id = _other_thread(app, world)
    client.login(world.member.email)
    client.post(f"/spazi/{world.reserved.slug}/discussioni/{thread_id}/rispondi",
                {"body": "Da noi sì, dal 2024."})
    section = _checklist(_home(client))
    # replying follows the thread, which somebody else opened: both steps are done
    assert _done_steps(section) == ["Presentati nel tuo spazio", "Segui una discussione"]


def test_a_post_outside_their_spaces_is_no_introduction(app, client, world):
    with app.app_context():
        discussions.create_thread(
            db.session.get(Space, world.regional.id), db.session.get(User, world.member.id),
            title="Una domanda nello spazio regionale", kind="domanda", body="Qualcuno sa?")
        db.session.commit()
    client.login(world.member.email)
    section = _checklist(_home(client))
    assert "Presentati nel tuo spazio" not in _done_steps(section)


def test_somebody_with_no_space_is_sent_to_the_spaces(client, world):
    client.login(world.outsider.email)
    section = _checklist(_home(client))
    assert 'href="/spazi/"' in section and "Guarda gli spazi" in section


def test_dismiss_hides_it_for_good(app, client, new_client, world):
    client.login(world.member.email)
    assert _checklist(_home(client)) is not None
    assert client.post("/benvenuto/nascondi", csrf=False).status_code == 400  # no token
    assert _checklist(_home(client)) is not None
    response = client.post("/benvenuto/nascondi")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = _home(client)
    assert _checklist(page) is None and "Lista dei primi passi nascosta." in page
    with app.app_context():
        assert db.session.get(OnboardingState, world.member.id).dismissed_at is not None
    other = new_client()  # another browser: the stored row says so
    other.login(world.member.email)
    assert _checklist(_home(other)) is None


def test_only_new_accounts_see_it(app, client, world):
    with app.app_context():
        person = db.session.get(User, world.member.id)
        person.created_at = utcnow() - timedelta(days=61)
        db.session.commit()
    client.login(world.member.email)
    assert _checklist(_home(client)) is None
    with app.app_context():
        assert db.session.scalar(select(OnboardingState)) is None


def test_the_checklist_costs_one_statement(app, client, new_client, world, factory,
                                          count_queries):
    def home_statements(some_client) -> int:
        some_client.get("/")
        with count_queries() as statements:
            page = _home(some_client)
        return len(statements), page

    old = new_client()
    veteran = factory.user(name="Socia di Lunga Data")
    factory.member(world.reserved, veteran)
    with app.app_context():
        db.session.get(User, veteran.id).created_at = utcnow() - timedelta(days=90)
        db.session.commit()
    old.login(veteran.email)
    client.login(world.member.email)
    base, page = home_statements(old)
    assert _checklist(page) is None
    with_list, page = home_statements(client)
    assert _checklist(page) is not None
    # the other member's home has the same lists as this member's (one space each)
    assert with_list == base + 1
    client.post("/benvenuto/nascondi")
    done, page = home_statements(client)
    assert _checklist(page) is None and done == base  # this browser knows: nothing asked
    again = new_client()
    again.login(world.member.email)
    again.get("/")  # the first look in a new browser reads the stored row (the one statement)
    assert home_statements(again)[0] == base


def test_complete_your_profile_goes_once_the_profile_is_complete(app, client, world):
    client.login(world.member.email)
    assert "Completa il tuo profilo" in _home(client)
    with app.app_context():
        person = db.session.get(User, world.member.id)
        person.job_title, person.bio = "Operatrice", "Mi occupo di conciliazione."
        db.session.commit()
    assert "Completa il tuo profilo" not in _home(client)
