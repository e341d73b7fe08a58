"""Personal data export (one collector per feature) and account deletion on request."""
from __future__ import annotations

import json

from sqlalchemy import select

from cop.auth.models import User
from cop.discussions.models import Post
from cop.extensions import db
from cop.network.models import Organisation
from cop.spaces.models import Space
from tests.directory.helpers import main, profile, text


def _thread(app, world, author, replier):
    from cop.discussions import services as discussions

    with app.app_context():
        written = discussions.create_thread(
            db.session.get(Space, world.reserved.id), db.session.get(User, author.id),
            title="Orari dello sportello", kind="domanda", body="Quali orari funzionano?")
        reply = discussions.reply(written.thread, db.session.get(User, replier.id),
                                  body="Il sabato mattina.")
        db.session.commit()
        return written.thread.id, reply.post.id if hasattr(reply, "post") else None


def test_the_export_holds_what_the_platform_knows(app, client, world):
    profile(app, world.member, levels={"C1": 3}, topics="caregiver", languages="inglese",
            trainer={"topics": "sportelli"})
    _thread(app, world, world.member, world.coordinator)
    client.login(world.outsider.email)
    client.post(f"/persone/{world.member.id}/competenze/C1/conferma", {"note": "Brava"})
    client.logout()
    client.login(world.member.email)
    assert "Scarica i miei dati" in main(client.get("/profilo/dati"))
    response = client.get("/profilo/dati.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == world.member.email
    assert data["profile"]["topics"] == ["caregiver"] and data["profile"]["languages"] == "inglese"
    assert data["skills"][0]["skill"] == "C1" and data["skills"][0]["endorsements"] == 1
    assert data["endorsements_received"][0] == {**data["endorsements_received"][0],
                                                "by": "Persona Esterna", "note": "Brava"}
    assert data["trainer_offer"]["topics"] == ["sportelli"]
    assert [m["space"] for m in data["memberships"]] == ["Alleanza Bergamo 1"]
    assert data["posts"][0]["body"] == "Quali orari funzionano?"
    assert data["posts"][0]["thread_title"] == "Orari dello sportello"
    assert data["notifications"] and data["sign_in_sessions"]
    assert "Il sabato mattina." not in json.dumps(data)  # other people's words stay out


def test_deleting_the_account(app, client, new_client, world, factory):
    profile(app, world.member, levels={"C1": 3})
    thread_id, _ = _thread(app, world, world.member, world.coordinator)
    client.login(world.member.email)
    client.post(f"/persone/{world.coordinator.id}/competenze/C1/conferma")  # not held: refused
    with app.app_context():
        before_members = db.session.get(Space, world.reserved.id).member_count
        before_people = db.session.get(Organisation, world.member.organisation_id).people_count

    wrong = client.post("/profilo/elimina", {"password": "sbagliata", "confirm": "y"})
    assert "La password non è corretta." in text(wrong)
    unconfirmed = client.post("/profilo/elimina", {"password": world.member.password})
    assert "Conferma di aver capito." in text(unconfirmed)
    response = client.post("/profilo/elimina", {"password": world.member.password,
                                                "confirm": "y"})
    assert response.headers["Location"] == "/accedi"
    assert "è stato eliminato" in text(client.get("/accedi"))
    assert client.get("/").status_code == 200 and client.get("/profilo").status_code == 302

    with app.app_context():
        assert db.session.get(User, world.member.id) is None
        posts = db.session.scalars(select(Post).where(Post.thread_id == thread_id)
                                   .order_by(Post.id)).all()
        assert len(posts) == 2 and posts[0].author_id is None
        assert db.session.get(Space, world.reserved.id).member_count == before_members - 1
        assert db.session.get(Organisation, world.member.organisation_id).people_count == \
            before_people - 1

    other = new_client()
    other.login(world.coordinator.email)
    slug = world.reserved.slug
    thread = main(other.get(f"/spazi/{slug}/discussioni/{thread_id}"))
    assert "utente rimosso" in thread and "Quali orari funzionano?" in thread
    for url in (f"/spazi/{slug}/discussioni/", "/discussioni", "/cerca?q=orari", "/notifiche/",
                f"/spazi/{slug}/membri", "/rubrica/", "/rubrica/mappa", "/rubrica/formatori"):
        assert other.get(url).status_code == 200, url
    assert other.get(f"/persone/{world.member.id}").status_code == 404


def test_the_only_coordinator_must_hand_over_first(app, client, world):
    client.login(world.coordinator.email)
    response = client.post("/profilo/elimina", {"password": world.coordinator.password,
                                                "confirm": "y"}, follow_redirects=True)
    assert "Sei l'unico coordinatore di: Alleanza Bergamo 1, Smart working" in text(response)
    with app.app_context():
        assert db.session.get(User, world.coordinator.id) is not None


def test_the_export_leaves_out_titles_of_threads_no_longer_visible(app, client, world):
    from cop.spaces import services as space_services

    _thread(app, world, world.coordinator, world.member)  # the member replies
    with app.app_context():
        space_services.remove_member(db.session.get(Space, world.reserved.id),
                                     db.session.get(User, world.member.id))
        db.session.commit()
    client.login(world.member.email)
    data = json.loads(client.get("/profilo/dati.json").get_data(as_text=True))
    [post] = data["posts"]
    assert post["body"] == "Il sabato mattina." and post["thread_title"] is None
    assert "Orari dello sportello" not in json.dumps(data)
    assert "Quali orari funzionano?" not in json.dumps(data)


def test_the_export_holds_the_person_s_part_of_the_library(app, client, new_client, world,
                                                          factory):
    from tests.practices.helpers import Practices

    practice_id = Practices(app).make(world.reserved.slug, world.member.id,
                                      visibility="registrati", title="Sportello caregiver",
                                      validator_id=world.admin.id)
    client.login(world.member.email)
    assert client.post(f"/pratiche/{practice_id}/commenta",
                       {"body": "Aggiornamento: ora anche il sabato."}).status_code == 302
    adopter = factory.user(name="Operatrice Bergamo Due")
    factory.member(factory.space(slug="alleanza-bergamo-2"), adopter)
    alleanza = factory.alleanza("BG", 2)
    other = new_client()
    other.login(adopter.email)
    assert other.post(f"/pratiche/{practice_id}/adotta", {
        "alleanza_id": str(alleanza.id), "kind": "adattata",
        "note": "Con orari serali."}).status_code == 302

    written = client.get("/profilo/dati.json").get_json()["practices"]
    assert [(r["id"], r["title"], r["status"], r["created_by_me"]) for r in written["records"]] \
        == [(practice_id, "Sportello caregiver", "pubblicata", True)]
    [version] = written["versions"]
    assert version["practice_id"] == practice_id and version["number"] == 1
    assert version["record"]["title"] == "Sportello caregiver"
    assert [r["action"] for r in written["reviews"]] == ["inviata"]
    [comment] = written["comments"]
    assert comment["practice_id"] == practice_id
    assert comment["body"].startswith("Aggiornamento: ora anche il sabato.")
    assert written["adoptions"] == [] and written["adoption_history"] == []

    reviewed = new_client()
    reviewed.login(world.admin.email)
    reviews = reviewed.get("/profilo/dati.json").get_json()["practices"]["reviews"]
    assert [(r["practice_id"], r["action"]) for r in reviews] == [
        (practice_id, "validata"), (practice_id, "pubblicata")]

    adopted = other.get("/profilo/dati.json").get_json()["practices"]
    [adoption] = adopted["adoptions"]
    assert adoption == {**adoption, "practice_id": practice_id,
                        "practice_title": "Sportello caregiver", "kind": "adattata",
                        "note": "Con orari serali.", "alleanza": alleanza.name}
    assert [e["action"] for e in adopted["adoption_history"]] == ["registrata"]
    assert adopted["records"] == [] and adopted["comments"] == []


def test_the_export_keeps_its_sections(app, client, world):
    client.login(world.member.email)
    data = client.get("/profilo/dati.json").get_json()
    assert list(data) == [
        "format_version", "exported_at",
        "account", "memberships", "join_requests", "posts", "marked_useful", "subscriptions",
        "notification_settings", "notification_choices", "notifications", "sign_in_sessions",
        "invitations_sent",
        "identity_providers",
        "practices", "meetings", "decisions",
        "profile", "skills", "endorsements_received", "endorsements_given", "learning",
        "trainer_offer",
        "learning_paths", "value_stories", "digests", "onboarding", "api_tokens"]
