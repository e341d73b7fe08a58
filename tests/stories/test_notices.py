"""A story told about a thread, a practice record or a meeting tells its authors, in the bell
and by email: not the teller, not who may not read the story, and not after it is gone."""
from __future__ import annotations

from sqlalchemy import delete, select

from cop.extensions import db
from cop.notifications.models import Notification
from cop.spaces.models import Membership
from cop.stories.models import ValueStory
from tests.meetings.helpers import Meetings
from tests.practices.helpers import Practices, bell, keep_to_the_bell, told
from tests.stories.helpers import story_form, thread

STORY = "Lo sportello ora apre anche il sabato"


def _tell(client, space, subject_type, subject_id) -> int:
    response = client.post(f"/spazi/{space.slug}/storie/nuova?su={subject_type}&id={subject_id}",
                           story_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def _signed_in(new_client, person):
    browser = new_client()
    browser.login(person.email)
    return browser


def _told_ids(app) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(Notification.user_id).where(
            Notification.kind == "story_told")))


def test_a_story_about_a_thread_tells_its_author(app, world, client, new_client, smtp):
    thread_id = thread(app, world.reserved.id, world.coordinator.id)
    client.login(world.member.email)
    story_id = _tell(client, world.reserved, "thread", thread_id)
    coordinator = _signed_in(new_client, world.coordinator)
    sentence = "Membro Alleanza ha raccontato una storia di valore su «Sportelli aperti il sabato?»"
    page = told(coordinator)
    assert sentence in page and STORY in page and bell(coordinator) == 1
    [mail] = smtp.to(world.coordinator.email)
    assert mail.subject == sentence
    assert f"/spazi/{world.reserved.slug}/storie/{story_id}" in mail.body
    assert [m.to for m in smtp.messages] == [[world.coordinator.email]]
    assert _told_ids(app) == {world.coordinator.id}  # not the teller, nor anybody else
    with app.app_context():
        notice = db.session.scalar(select(Notification.id).where(
            Notification.kind == "story_told"))
    response = coordinator.get(f"/notifiche/{notice}")
    assert response.headers["Location"].endswith(
        f"/spazi/{world.reserved.slug}/storie/{story_id}")
    # the story deleted: its notice leaves the list
    client.post(f"/spazi/{world.reserved.slug}/storie/{story_id}/elimina", {})
    with app.app_context():
        assert db.session.get(ValueStory, story_id) is None
    assert sentence not in told(coordinator) and bell(coordinator) == 0


def test_a_story_about_a_practice_tells_its_writers(app, world, client, new_client, smtp):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id,
                                      title="Sportello caregiver")
    smtp.messages.clear()
    client.login(world.coordinator.email)
    _tell(client, world.reserved, "practice", practice_id)
    member = _signed_in(new_client, world.member)
    assert ("Coordinatrice Alleanza ha raccontato una storia di valore su "
            "«Sportello caregiver»") in told(member)
    assert smtp.to(world.member.email)
    assert _told_ids(app) == {world.member.id}  # not the admin who published it


def test_a_story_about_a_meeting_tells_who_runs_it(app, world, client, new_client, smtp):
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                    title="Tavolo di marzo")
    smtp.messages.clear()
    client.login(world.member.email)
    _tell(client, world.reserved, "meeting", meeting_id)
    coordinator = _signed_in(new_client, world.coordinator)
    assert "Membro Alleanza ha raccontato una storia di valore su «Tavolo di marzo»" in \
        told(coordinator)
    assert _told_ids(app) == {world.coordinator.id}


def test_an_author_who_may_not_read_the_story_is_not_told(app, world, client, factory):
    author = factory.user(name="Ex Membro")
    factory.member(world.reserved, author)
    thread_id = thread(app, world.reserved.id, author.id)
    with app.app_context():  # they left the reserved space
        db.session.execute(delete(Membership).where(Membership.user_id == author.id))
        db.session.commit()
    client.login(world.member.email)
    _tell(client, world.reserved, "thread", thread_id)
    assert _told_ids(app) == set()


def test_a_story_kept_to_the_bell_sends_no_email(app, world, client, new_client, smtp):
    coordinator = _signed_in(new_client, world.coordinator)
    keep_to_the_bell(coordinator, "story_told")
    thread_id = thread(app, world.reserved.id, world.coordinator.id)
    client.login(world.member.email)
    _tell(client, world.reserved, "thread", thread_id)
    assert "ha raccontato una storia di valore" in told(coordinator)
    assert not smtp.to(world.coordinator.email)
