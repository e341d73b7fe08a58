"""A record's comments have exactly the record's readers, on every channel, and its title:
the thread follows the record when its visibility or title changes."""
from __future__ import annotations

from sqlalchemy import select

from cop.extensions import db
from cop.practices.models import Practice
from tests.practices.helpers import Practices, form_data

LIBRARY = "biblioteca-buone-pratiche"


def _edit(client, app, practice_id, **changes):
    """The record's edit form, as its writer posts it, with `changes`."""
    with app.app_context():
        practice = db.session.get(Practice, practice_id)
        fields = dict(title=practice.title, ats_id=str(practice.ats_id),
                      alleanza_id=str(practice.alleanza_id or ""),
                      contact_id=str(practice.contact_id), visibility=practice.visibility,
                      base_version=str(practice.version_count))
    response = client.post(f"/pratiche/{practice_id}/modifica",
                           form_data(**{**fields, **changes}))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def _thread(app, practice_id):
    from cop.discussions.models import Thread

    with app.app_context():
        thread = db.session.get(Thread, db.session.get(Practice, practice_id).comment_thread_id)
        return thread.id, thread.space.slug, thread.title


def test_narrowing_a_record_takes_its_comments_out_of_everyone_s_sight(
        client, new_client, world, app, smtp):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id,
                                      visibility="registrati", title="Sportello caregiver aperto")
    outsider = new_client()
    outsider.login(world.outsider.email)
    assert outsider.post(f"/pratiche/{practice_id}/commenta",
                         {"body": "Le zanzariere del nostro comune funzionano."}).status_code == 302
    thread_id, slug, _ = _thread(app, practice_id)
    assert slug == LIBRARY
    client.login(world.member.email)
    client.post(f"/pratiche/{practice_id}/commenta", {"body": "Grazie, le proveremo."})
    assert smtp.to(world.outsider.email)  # the outsider follows the thread they opened
    channels = ("/cerca?q=zanzariere", "/cerca?q=sportello+caregiver", "/discussioni",
                f"/spazi/{LIBRARY}/discussioni/", "/notifiche/")
    for url in channels:  # the outsider reads the comments everywhere while they may
        page = outsider.get(url).get_data(as_text=True)
        assert f"/discussioni/{thread_id}" in page or "Sportello caregiver aperto" in page, url

    _edit(client, app, practice_id, visibility="spazio")  # only the space's readers now
    smtp.messages.clear()
    client.post(f"/pratiche/{practice_id}/commenta", {"body": "Aggiornamento riservato."})
    assert not smtp.to(world.outsider.email)  # nor the emails

    assert outsider.get(f"/pratiche/{practice_id}").status_code == 404
    slug = _thread(app, practice_id)[1]
    for where in {LIBRARY, world.reserved.slug, slug}:
        assert outsider.get(f"/spazi/{where}/discussioni/{thread_id}").status_code == 404
    for url in channels:
        page = outsider.get(url).get_data(as_text=True)
        assert "nostro comune" not in page and "Sportello caregiver aperto" not in page, url
        assert f"/discussioni/{thread_id}" not in page, url

    # the record's readers still read, find and follow them
    page = client.get(f"/spazi/{slug}/discussioni/{thread_id}").get_data(as_text=True)
    assert "zanzariere" in page and "Aggiornamento riservato." in page
    assert f"/discussioni/{thread_id}" in client.get("/cerca?q=zanzariere").get_data(
        as_text=True)
    assert "nostro comune" in client.get(f"/pratiche/{practice_id}").get_data(as_text=True)


def test_widening_a_record_opens_its_comments_to_its_new_readers(client, new_client, world, app):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id,
                                      title="Maggiordomo aziendale riservato")
    client.login(world.member.email)
    client.post(f"/pratiche/{practice_id}/commenta", {"body": "Le lavanderie convenzionate."})
    _edit(client, app, practice_id, visibility="registrati")
    thread_id, slug, _ = _thread(app, practice_id)
    outsider = new_client()
    outsider.login(world.outsider.email)
    assert outsider.get(f"/spazi/{slug}/discussioni/{thread_id}").status_code == 200
    assert f"/discussioni/{thread_id}" in outsider.get("/cerca?q=lavanderie").get_data(
        as_text=True)


def test_the_comment_thread_takes_the_record_s_new_title(client, world, app):
    practice_id = Practices(app).make(world.reserved.slug, world.member.id,
                                      visibility="registrati", title="Sportello caregiver aperto")
    client.login(world.member.email)
    client.post(f"/pratiche/{practice_id}/commenta", {"body": "Le zanzariere funzionano."})
    _edit(client, app, practice_id, title="Punto di ascolto per i caregiver")
    thread_id, slug, title = _thread(app, practice_id)
    assert title == "Scheda: Punto di ascolto per i caregiver"
    page = client.get(f"/spazi/{slug}/discussioni/{thread_id}").get_data(as_text=True)
    assert "Scheda: Punto di ascolto per i caregiver" in page
    found = client.get("/cerca?q=zanzariere").get_data(as_text=True)
    assert "ascolto" in found and "Sportello caregiver aperto" not in found
    assert f"/discussioni/{thread_id}" in client.get("/cerca?q=ascolto").get_data(as_text=True)


def test_threads_left_behind_are_put_back_when_the_index_is_rebuilt(client, world, app):
    """Data written before threads followed their records: `flask cop reindex-search`."""
    from cop.discussions.models import Thread
    from cop.search.services import reindex_all

    practice_id = Practices(app).make(world.reserved.slug, world.member.id,
                                      visibility="registrati")
    client.login(world.member.email)
    client.post(f"/pratiche/{practice_id}/commenta", {"body": "Le zanzariere funzionano."})
    with app.app_context():  # narrowed behind the services' back
        practice = db.session.get(Practice, practice_id)
        practice.visibility = "spazio"
        db.session.commit()
        reindex_all()
        db.session.commit()
        slug = db.session.scalar(select(Thread).where(
            Thread.id == practice.comment_thread_id)).space.slug
    assert slug == world.reserved.slug
