"""Practice records on the notification path: who is told of each step, in the bell, the list
and by email, never the one who acted nor who may not read the record; what they may no longer
read leaves their list, except the notice that a record they were to validate was withdrawn."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from cop import access
from cop.access import core as access_core  # for_anyone keeps its statements there
from cop.auth.models import User
from cop.extensions import db
from cop.notifications import queries
from cop.notifications.models import Notification
from cop.practices import services
from cop.practices.models import Practice
from cop.spaces.models import Membership
from tests.practices.helpers import Practices, bell, keep_to_the_bell, told

TITLE = "Sportello caregiver"


def _kinds_of(app, person) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Notification.kind).where(
            Notification.user_id == person.id).order_by(Notification.id)))


def _signed_in(new_client, person):
    browser = new_client()
    browser.login(person.email)
    return browser


@pytest.fixture
def curator(factory):
    return factory.user(name="Curatrice Regionale", site_role="curatore")


def test_each_step_of_the_workflow_reaches_the_right_people(
        app, world, new_client, smtp, curator):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="inviata",
                                      title=TITLE)
    sentence = f"Membro Alleanza ha inviato alla validazione «{TITLE}»"
    # the validators: the ATS referent and the regional curator, in the bell and by email
    for validator in (world.referent, curator):
        browser = _signed_in(new_client, validator)
        assert sentence in told(browser) and bell(browser) == 1
        assert [m.subject for m in smtp.to(validator.email)] == [f"Da validare: {TITLE}"]
        [mail] = smtp.to(validator.email)
        assert f"/pratiche/{practice_id}" in mail.body
        assert "/notifiche/disiscriviti/" in mail.message["List-Unsubscribe"]
    # not its writer, nor the others
    for person in (world.member, world.coordinator, world.outsider, world.admin):
        browser = _signed_in(new_client, person)
        assert "inviato alla validazione" not in told(browser) and bell(browser) == 0
        assert not smtp.to(person.email)

    referent = _signed_in(new_client, world.referent)
    smtp.messages.clear()
    referent.post(f"/pratiche/{practice_id}/valutazione",
                  {"send_back": "1", "comment": "Aggiungete i costi del personale."})
    member = _signed_in(new_client, world.member)
    page = told(member)
    assert f"Referente ATS ha rimandato agli autori «{TITLE}»" in page
    assert "Aggiungete i costi del personale." in page and bell(member) == 1
    [mail] = smtp.to(world.member.email)
    assert mail.subject == f"Scheda rimandata: {TITLE}"
    assert "Aggiungete i costi del personale." in mail.body
    assert [m.to for m in smtp.messages] == [[world.member.email]]  # the writer only

    member.post(f"/pratiche/{practice_id}/invia")
    smtp.messages.clear()
    referent.post(f"/pratiche/{practice_id}/valutazione", {"validate_record": "1"})
    referent.post(f"/pratiche/{practice_id}/pubblica", {"visibility": "registrati"})
    page = told(member)
    assert f"Referente ATS ha validato «{TITLE}»" in page
    assert f"Referente ATS ha pubblicato «{TITLE}» nella biblioteca delle buone pratiche" in page
    assert [m.subject for m in smtp.to(world.member.email)] == [
        f"Scheda validata: {TITLE}", f"Scheda pubblicata: {TITLE}"]
    assert {tuple(m.to) for m in smtp.messages} == {(world.member.email,)}
    assert _kinds_of(app, world.referent) == ["practice_submitted", "practice_submitted"]
    # opening the notice leads to the record
    with app.app_context():
        notice = db.session.scalar(select(Notification.id).where(
            Notification.user_id == world.member.id, Notification.kind == "practice_published"))
    response = member.get(f"/notifiche/{notice}")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/pratiche/{practice_id}")


def test_a_withdrawn_record_stays_told_to_its_validators(
        app, world, client, new_client, smtp, curator):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="inviata",
                                      title=TITLE)
    smtp.messages.clear()
    client.login(world.member.email)
    assert client.post(f"/pratiche/{practice_id}/ritira-invio", {}).status_code == 302
    withdrawn = f"Membro Alleanza ha ritirato dalla validazione «{TITLE}»"
    # the curator may no longer read the draft: the «to validate» notice leaves the list, the
    # withdrawal stays and leads to the validation queue
    browser = _signed_in(new_client, curator)
    page = told(browser)
    assert withdrawn in page and "inviato alla validazione" not in page
    assert bell(browser) == 1
    with app.app_context():
        notice = db.session.scalar(select(Notification.id).where(
            Notification.user_id == curator.id, Notification.kind == "practice_withdrawn"))
    response = browser.get(f"/notifiche/{notice}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/pratiche/?scheda=da_validare")
    assert browser.get(f"/pratiche/{practice_id}").status_code == 404
    # the email, without a link to the draft
    for validator in (curator, world.referent):
        [mail] = smtp.to(validator.email)
        assert mail.subject == f"Invio ritirato: {TITLE}"
        assert "ha ritirato dalla validazione la scheda" in mail.body
        assert "/pratiche/" not in mail.body
    assert withdrawn in told(_signed_in(new_client, world.referent))
    assert withdrawn not in told(client) and not smtp.to(world.member.email)
    # a deleted draft takes its notices along
    client.post(f"/pratiche/{practice_id}/elimina", {})
    assert Practices(app).get(practice_id) is None
    assert withdrawn not in told(browser) and bell(browser) == 0


def test_who_may_no_longer_read_the_record_is_not_told_and_loses_its_notices(
        app, world, factory, new_client, smtp):
    """A co-writer who left the space: the record (read in its space only) is no longer
    theirs to read."""
    colleague = factory.user(name="Collega Alleanza")
    factory.member(world.reserved, colleague)
    records = Practices(app)
    practice_id = records.make(world.reserved.slug, world.member.id, status="bozza", title=TITLE)
    with app.app_context():
        practice = db.session.get(Practice, practice_id)
        services.save(practice, db.session.get(User, colleague.id), services.PracticeInput(
            {"summary": "Riscritta insieme."}, [], [{"name": "Persone", "value": 3}]))
        services.submit(practice, db.session.get(User, world.member.id))
        services.validate(practice, db.session.get(User, world.referent.id))
        db.session.commit()
    browser = _signed_in(new_client, colleague)
    assert f"Referente ATS ha validato «{TITLE}»" in told(browser) and bell(browser) == 1
    with app.app_context():
        db.session.execute(delete(Membership).where(Membership.user_id == colleague.id))
        db.session.commit()
    assert "validato" not in told(browser) and bell(browser) == 0  # checked at each read
    smtp.messages.clear()
    with app.app_context():
        services.publish(db.session.get(Practice, practice_id),
                         db.session.get(User, world.referent.id))
        db.session.commit()
    assert _kinds_of(app, colleague) == ["practice_validated"]  # not told of the publication
    assert not smtp.to(colleague.email) and smtp.to(world.member.email)
    assert f"Referente ATS ha pubblicato «{TITLE}»" in told(_signed_in(new_client, world.member))


def test_comments_tell_the_writers_the_discussion_did_not(app, world, new_client, smtp):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id, title=TITLE)
    coordinator = _signed_in(new_client, world.coordinator)
    smtp.messages.clear()
    assert coordinator.post(f"/pratiche/{practice_id}/commenta",
                            {"body": "Da noi ha funzionato anche di sera."}).status_code == 302
    member = _signed_in(new_client, world.member)
    page = told(member)
    assert f"Coordinatrice Alleanza ha commentato «{TITLE}»" in page
    assert bell(member) == 3  # validated, published (by the helper), commented
    assert "Da noi ha funzionato anche di sera." in page
    [mail] = smtp.to(world.member.email)
    assert "Coordinatrice Alleanza ha commentato" in mail.subject
    assert f"/pratiche/{practice_id}#commenti" in mail.body
    assert _kinds_of(app, world.coordinator) == []  # not the one who commented
    # the writer answers: now they follow the comments' thread, and hear of the next comment
    # from the discussion, once
    member.post(f"/pratiche/{practice_id}/commenta", {"body": "Grazie, proveremo."})
    coordinator.post(f"/pratiche/{practice_id}/commenta", {"body": "Fateci sapere."})
    assert _kinds_of(app, world.member)[-2:] == ["practice_commented", "post"]
    assert _kinds_of(app, world.coordinator) == ["reply"]  # by the discussion, as its author


def test_an_adoption_tells_the_writers_once(app, world, factory, new_client, smtp):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id,
                                      visibility="registrati", title=TITLE)
    other = factory.space(slug="alleanza-bergamo-2")
    adopter = factory.user(name="Operatrice Bergamo Due")
    factory.member(other, adopter)
    alleanza = factory.alleanza("BG", 2)
    browser = _signed_in(new_client, adopter)
    smtp.messages.clear()
    assert browser.post(f"/pratiche/{practice_id}/adotta", {
        "alleanza_id": str(alleanza.id), "kind": "adattata", "note": "Serale."}
    ).status_code == 302
    member = _signed_in(new_client, world.member)
    assert f"{alleanza.name} ha adottato «{TITLE}»" in told(member)
    assert bell(member) == 3  # validated, published (by the helper), adopted
    [mail] = smtp.to(world.member.email)
    assert f"/pratiche/{practice_id}#adozioni" in mail.body
    assert [m.to for m in smtp.messages] == [[world.member.email]]
    browser.post(f"/pratiche/{practice_id}/adozioni/{alleanza.id}",
                 {f"a{alleanza.id}-kind": "riusata", f"a{alleanza.id}-note": "Così com'è."})
    assert _kinds_of(app, world.member).count("practice_adopted") == 1


def test_a_kind_kept_to_the_bell_sends_no_email(app, world, new_client, smtp, curator):
    browser = _signed_in(new_client, curator)
    keep_to_the_bell(browser, "practice_submitted")
    Practices(app).make(world.reserved.slug, world.member.id, status="inviata", title=TITLE)
    assert f"Membro Alleanza ha inviato alla validazione «{TITLE}»" in told(browser)
    assert not smtp.to(curator.email)
    assert smtp.to(world.referent.email)  # who chose nothing still gets it


def test_the_bell_counts_right_for_curators_and_the_others(app, world, curator, monkeypatch):
    """The bell's statement is built once per kind of person (access.for_anyone): a curator
    reads every record sent, the others what their spaces show them."""
    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="inviata",
                                      title=TITLE)
    people = [curator, world.referent, world.outsider, world.coordinator, world.admin]
    with app.app_context():  # the curator and the referent were told by the submission
        for person in (world.outsider, world.coordinator, world.admin):
            db.session.add(Notification(user_id=person.id, kind="practice_submitted",
                                            subject_type="practice", subject_id=practice_id))
        db.session.commit()
    expected = {curator.id: 1, world.referent.id: 1, world.outsider.id: 0,
                world.coordinator.id: 1,  # coordinates the record's space
                world.admin.id: 1}
    for order in (people, people[::-1]):
        monkeypatch.setattr(access_core, "_FOR_ANYONE", {})
        with app.test_request_context():
            for person in order:
                user = db.session.get(User, person.id)
                own = db.session.scalar(queries.unread_count(user))
                shared = db.session.scalar(
                    *access.for_anyone("test.bell", user, queries.unread_count))
                assert own == shared == expected[person.id], user.name


def test_the_worker_sends_the_withdrawal_and_drops_what_is_no_longer_readable(
        make_app, world, new_client, smtp, curator):
    """With NOTIFICATION_EMAIL_WORKER: the worker checks again before sending. The «to
    validate» email of a record withdrawn meanwhile is dropped; the withdrawal's is sent."""
    from cop.notifications import delivery

    app = make_app(NOTIFICATION_EMAIL_WORKER=True)
    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="inviata",
                                      title=TITLE)
    with app.app_context():
        services.withdraw_submission(db.session.get(Practice, practice_id),
                                     db.session.get(User, world.member.id))
        db.session.commit()
    assert not smtp.to(curator.email)  # the requests sent nothing
    with app.app_context():
        delivery.send_pending()
    assert [m.subject for m in smtp.to(curator.email)] == [f"Invio ritirato: {TITLE}"]
    assert "/pratiche/" not in smtp.to(curator.email)[0].body


def test_a_writer_who_muted_the_comments_is_not_told_of_them(app, world, new_client):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id, title=TITLE)
    coordinator = _signed_in(new_client, world.coordinator)
    coordinator.post(f"/pratiche/{practice_id}/commenta", {"body": "Primo commento."})
    with app.app_context():
        thread_id = db.session.get(Practice, practice_id).comment_thread_id
    member = _signed_in(new_client, world.member)
    assert member.post("/notifiche/segui", {"thread_id": str(thread_id),
                                            "level": "mute"}).status_code == 302
    coordinator.post(f"/pratiche/{practice_id}/commenta", {"body": "Secondo commento."})
    assert _kinds_of(app, world.member).count("practice_commented") == 1


def test_the_list_reads_practices_stories_and_endorsements_in_a_constant_number_of_statements(
        app, world, new_client, count_queries):
    """However many records, stories and endorsements the notices are about."""
    from cop.directory import services as directory
    from cop.spaces.models import Space
    from cop.stories import services as stories
    from tests.directory.helpers import profile

    profile(app, world.member, levels={"C1": 3, "C2": 3, "A1": 3})
    reader = _signed_in(new_client, world.member)

    def grow(numbers, skills):
        for i in numbers:
            practice_id = Practices(app).make(world.reserved.slug, world.member.id,
                                              title=f"Scheda {i}")
            with app.app_context():
                stories.tell_story(db.session.get(Space, world.reserved.id),
                                   db.session.get(User, world.coordinator.id),
                                   stories.StoryInput("applicato", f"Storia {i}", "Testo."),
                                   db.session.get(Practice, practice_id))
                db.session.commit()
        with app.app_context():
            for code in skills:
                directory.endorse(db.session.get(User, world.coordinator.id), world.member.id,
                                  code)
            db.session.commit()

    def measure():
        with count_queries() as statements:
            page = told(reader)
        assert "ha raccontato una storia di valore" in page and "ha pubblicato" in page
        assert "ha confermato la tua competenza" in page
        return len(statements)

    grow(range(2), ["C1"])
    small = measure()
    grow(range(2, 6), ["C2", "A1"])
    assert measure() == small
