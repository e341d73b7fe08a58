"""The bell's count is one statement built once per process (access.for_anyone) and run with
each person's parameters: it must count for every person what their own statement counts."""
from __future__ import annotations

import pytest

from cop import access
from cop.access import core as access_core  # for_anyone keeps its statements there
from cop.auth.models import User
from cop.discussions.models import Post
from cop.extensions import db
from cop.notifications import queries
from cop.notifications.models import Notification
from tests.notifications.helpers import add_reply, new_thread


@pytest.fixture
def told(app, world, factory):
    """One unread notification for everybody about a reserved thread of Alleanza Bergamo 1,
    one about a hidden reply in it and one in the regional space: who sees what differs."""
    other_ats = factory.user(name="Referente di un'altra ATS")
    factory.member(factory.space(slug="ats-milano"), other_ats, "coordinatore")
    reserved_thread, _ = new_thread(app, world.reserved, world.coordinator)
    hidden = add_reply(app, reserved_thread, world.coordinator, "Un messaggio poi nascosto.")
    regional_thread, _ = new_thread(app, world.regional, world.coordinator, title="Aperta a tutti")
    people = [world.admin, world.referent, world.coordinator, world.member, world.outsider,
              other_ats]
    with app.app_context():
        db.session.get(Post, hidden).hidden = True
        for person in people:
            for thread_id, post_id in ((reserved_thread, None), (reserved_thread, hidden),
                                       (regional_thread, None)):
                db.session.add(Notification(user_id=person.id, kind="reply", thread_id=thread_id,
                                            subject_type="thread", subject_id=thread_id,
                                            post_id=post_id))
        db.session.commit()
    return people


def _counts(app, people) -> dict[str, tuple[int, int]]:
    """Each person's (count of their own statement, count through for_anyone)."""
    counts = {}
    with app.test_request_context():
        for person in people:
            user = db.session.get(User, person.id)
            own = db.session.scalar(queries.unread_count(user))
            shared = db.session.scalar(
                *access.for_anyone("test.bell", user, queries.unread_count))
            counts[user.name] = (own, shared)
    return counts


def test_the_shared_statement_counts_what_each_persons_own_counts_in_any_order(
        app, world, told, monkeypatch):
    expected = {
        "Amministratrice Regionale": 3,  # everything, the hidden reply too
        "Referente ATS": 3,  # oversees the Alleanza: manages its space
        "Coordinatrice Alleanza": 3,
        "Membro Alleanza": 2,  # not the hidden reply
        "Persona Esterna": 1,  # only the regional thread
        "Referente di un'altra ATS": 1,
    }
    for order in (told, told[::-1], told[2:] + told[:2]):
        # a new process: whoever comes first builds the statement the others reuse
        monkeypatch.setattr(access_core, "_FOR_ANYONE", {})
        counts = _counts(app, order)
        assert counts == {name: (n, n) for name, n in expected.items()}, order


def test_the_statement_holds_no_persons_values(app, world, told, monkeypatch):
    monkeypatch.setattr(access_core, "_FOR_ANYONE", {})
    _counts(app, [world.referent])
    [(key, statement)] = access_core._FOR_ANYONE.items()
    assert key == ("test.bell", False, False)
    compiled = statement.compile()
    values = {name: compiled.params[name] for name in compiled.params
              if name.startswith("access_")}
    assert values == {"access_user_id": None, "access_coordinated_spaces": None,
                      "access_coordinated_ats": None}


def test_the_bell_on_a_page_follows_the_person(app, world, told, new_client):
    for person, unread in ((world.referent, 3), (world.member, 2), (world.outsider, 1)):
        browser = new_client()
        browser.login(person.email)
        page = browser.get("/").get_data(as_text=True)
        assert f'<span class="badge cop-unread" aria-hidden="true">{unread}</span>' in page
