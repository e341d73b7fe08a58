"""Threads and replies as people use them: open, reply in a tree, edit, delete, moderate."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cop.auth.models import User
from cop.discussions import services
from cop.discussions.models import ModerationAction, Post, PostRevision, Thread
from cop.extensions import db
from cop.spaces.models import Space
from tests.notifications.helpers import add_reply, text, thread_url


def new_thread(app, space, author, title="Pre e post scuola: come vi organizzate?", kind="domanda",
               body="Da noi il servizio parte a settembre.", tags=("scuola",)) -> int:
    with app.app_context():
        written = services.create_thread(db.session.get(Space, space.id),
                                         db.session.get(User, author.id), title=title, kind=kind,
                                         body=body, tags=list(tags))
        db.session.commit()
        return written.thread.id


def test_member_opens_a_thread_and_it_shows_everywhere_it_should(client, world):
    client.login(world.member.email)
    form = client.get(f"/spazi/{world.reserved.slug}/discussioni/nuova")
    assert "Nuova discussione" in text(form)
    response = client.post(f"/spazi/{world.reserved.slug}/discussioni/nuova", {
        "title": "Centri estivi condivisi tra Comuni", "kind": "esperienza",
        "body": "Abbiamo unito **tre Comuni** per i centri estivi.", "tags": "estate, Comuni",
        "submit": "Pubblica"})
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Centri estivi condivisi tra Comuni" in page
    assert "<strong>tre Comuni</strong>" in page
    assert "#estate" in page and "#comuni" in page
    assert "Discussione pubblicata." in page

    home = text(client.get(f"/spazi/{world.reserved.slug}/"))
    assert "Centri estivi condivisi tra Comuni" in home and "0 risposte" in home
    listing = text(client.get(f"/spazi/{world.reserved.slug}/discussioni/"))
    assert "Centri estivi condivisi tra Comuni" in listing
    assert "Centri estivi condivisi tra Comuni" in text(client.get("/discussioni"))
    filtered = text(client.get(f"/spazi/{world.reserved.slug}/discussioni/?tipo=domanda"))
    assert "Centri estivi condivisi tra Comuni" not in filtered
    assert "Centri estivi condivisi" in text(client.get(
        f"/spazi/{world.reserved.slug}/discussioni/?etichetta=estate"))


def test_outsiders_never_see_a_reserved_thread(app, client, world):
    thread_id = new_thread(app, world.reserved, world.member, title="Segreto di Alleanza")
    post_id = add_reply(app, thread_id, world.coordinator)
    client.login(world.outsider.email)
    assert client.get(thread_url(world.reserved, thread_id)).status_code == 404
    assert client.get(f"/discussioni/messaggi/{post_id}").status_code == 404
    assert "Segreto di Alleanza" not in text(client.get("/discussioni"))
    assert client.get(f"/spazi/{world.reserved.slug}/discussioni/").status_code == 404
    assert client.post(f"{thread_url(world.reserved, thread_id)}/rispondi",
                       {"body": "Posso?"}).status_code == 404
    # The referent of the ATS oversees the Alleanza and sees it.
    referent = client.__class__(app)
    referent.login(world.referent.email)
    assert "Segreto di Alleanza" in text(referent.get("/discussioni"))


def test_regional_spaces_take_threads_from_everybody_signed_in(client, world):
    client.login(world.outsider.email)
    response = client.post(f"/spazi/{world.regional.slug}/discussioni/nuova", {
        "title": "Smart working nei piccoli Comuni", "kind": "domanda",
        "body": "Qualcuno ha un regolamento?", "submit": "Pubblica"})
    assert response.status_code == 302
    # but a reserved space does not exist for them
    assert client.get(f"/spazi/{world.reserved.slug}/discussioni/nuova").status_code == 404


def test_form_errors_and_preview_keep_what_was_typed(client, world):
    client.login(world.member.email)
    url = f"/spazi/{world.reserved.slug}/discussioni/nuova"
    page = text(client.post(url, {"title": "No", "kind": "esperienza",
                                  "body": "Un testo *importante* da non perdere",
                                  "tags": "a, b, c, d, e, f", "submit": "Pubblica"}))
    assert "Il modulo contiene errori" in page
    assert "Un testo *importante* da non perdere" in page
    assert "Al massimo 5 etichette." in page
    preview = text(client.post(url, {"title": "Un titolo valido", "kind": "esperienza",
                                     "body": "Un testo *importante*", "preview": "Anteprima"}))
    assert "<em>importante</em>" in preview and "Un testo *importante*" in preview
    assert 'value="Un titolo valido"' in preview
    with client.app.app_context():
        assert db.session.scalar(select(Thread.id)) is None


def test_replies_form_a_tree_and_deep_ones_say_whom_they_answer(app, client, world):
    thread_id = new_thread(app, world.reserved, world.member)
    first = add_reply(app, thread_id, world.coordinator, "Prima risposta")
    second = add_reply(app, thread_id, world.member, "Seconda risposta")
    under_first = add_reply(app, thread_id, world.member, "Risposta alla prima", parent_id=first)
    chain = under_first
    for level in range(4):
        chain = add_reply(app, thread_id, world.coordinator, f"Livello profondo {level}",
                          parent_id=chain)
    client.login(world.member.email)
    page = text(client.get(thread_url(world.reserved, thread_id)))
    order = [int(n) for n in re.findall(r'<article id="post-(\d+)"', page)]
    assert order.index(first) < order.index(under_first) < order.index(second)
    assert f'id="post-{under_first}" class="cop-post cop-depth-2' in page
    assert f'id="post-{chain}" class="cop-post cop-depth-4' in page
    assert "in risposta a Coordinatrice Alleanza" in page
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        assert thread.reply_count == thread.post_count - 1 == 7


def test_replying_through_the_page_lands_on_the_new_post(client, world, app):
    thread_id = new_thread(app, world.reserved, world.member)
    parent = add_reply(app, thread_id, world.coordinator, "Voi come fate con i trasporti?")
    client.login(world.member.email)
    form = text(client.get(f"{thread_url(world.reserved, thread_id)}/rispondi?a={parent}"))
    assert "Voi come fate con i trasporti?" in form
    response = client.post(f"{thread_url(world.reserved, thread_id)}/rispondi",
                           {"a": parent, "body": "Con il pulmino comunale.", "submit": "Pubblica"})
    assert response.status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post).where(Post.body == "Con il pulmino comunale."))
        assert post.reply_to_id == post.parent_id == parent
    assert response.headers["Location"].endswith(f"#post-{post.id}")


def test_quote_starts_the_reply_with_the_passage(client, world, app):
    thread_id = new_thread(app, world.reserved, world.member, body="Riga uno\nRiga due")
    with app.app_context():
        opening = db.session.scalar(select(Post.id).where(Post.thread_id == thread_id))
    client.login(world.coordinator.email)
    page = text(client.get(f"{thread_url(world.reserved, thread_id)}/rispondi?cita={opening}"))
    assert "**Membro Alleanza** ha scritto:\n> Riga uno\n> Riga due" in page
    passage = text(client.get(
        f"{thread_url(world.reserved, thread_id)}/rispondi?cita={opening}&passaggio=Riga+due"))
    assert "> Riga due" in passage and "> Riga uno" not in passage


def test_long_threads_are_paginated_and_links_land_on_the_right_page(app, client, world):
    thread_id = new_thread(app, world.reserved, world.member)
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        author = db.session.get(User, world.coordinator.id)
        ids = [services.reply(thread, author, body=f"Risposta numero {i}").post.id
               for i in range(120)]
        db.session.commit()
    client.login(world.member.email)
    response = client.get(f"/discussioni/messaggi/{ids[110]}")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "pagina=3" in location and location.endswith(f"#post-{ids[110]}")
    page3 = text(client.get(location.split("#")[0]))
    assert "Risposta numero 110" in page3 and "Risposta numero 10<" not in page3
    assert "Pagina 3 di 3" in page3
    assert "pagina=1" not in client.get(f"/discussioni/messaggi/{ids[3]}").headers["Location"]

    # a reply at the foot lands on the last page; one under an early post, where it sorts
    url = thread_url(world.reserved, thread_id)
    at_foot = client.post(f"{url}/rispondi", {"body": "In fondo alla discussione."})
    assert at_foot.status_code == 302
    assert "pagina=3" in at_foot.headers["Location"]
    under = client.post(f"{url}/rispondi", {"body": "Sotto la quarta.", "parent_id": ids[3]})
    assert under.status_code == 302
    assert "pagina" not in under.headers["Location"]
    with app.app_context():
        newest = db.session.scalars(select(Post.id).where(Post.thread_id == thread_id)
                                    .order_by(Post.id.desc()).limit(2)).all()
    assert at_foot.headers["Location"].endswith(f"#post-{newest[1]}")
    assert under.headers["Location"].endswith(f"#post-{newest[0]}")
    assert "In fondo alla discussione." in text(client.get(at_foot.headers["Location"]))


def test_edit_keeps_history_for_coordinators_and_says_modificato(app, client, world, new_client):
    thread_id = new_thread(app, world.reserved, world.member, body="Versione iniziale")
    with app.app_context():
        opening = db.session.scalar(select(Post.id).where(Post.thread_id == thread_id))
    client.login(world.member.email)
    edit_url = f"/spazi/{world.reserved.slug}/discussioni/messaggi/{opening}/modifica"
    assert "Versione iniziale" in text(client.get(edit_url))
    response = client.post(edit_url, {"title": "Titolo corretto della domanda", "kind": "domanda",
                                      "tags": "scuola", "body": "Versione corretta",
                                      "submit": "Salva"})
    assert response.status_code == 302
    page = text(client.get(thread_url(world.reserved, thread_id)))
    assert "Versione corretta" in page and "modificato" in page
    assert "Titolo corretto della domanda" in page
    history_url = f"/spazi/{world.reserved.slug}/discussioni/messaggi/{opening}/versioni"
    assert client.get(history_url).status_code == 403
    coordinator = new_client()
    coordinator.login(world.coordinator.email)
    history = text(coordinator.get(history_url))
    assert "Versione iniziale" in history and "Versione corretta" in history
    assert "Pre e post scuola: come vi organizzate?" in history
    # nobody else edits it
    assert coordinator.post(edit_url, {"body": "Altro"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(PostRevision.number)) == 1


def test_delete_leaves_a_placeholder_and_fixes_the_counters(app, client, world):
    thread_id = new_thread(app, world.reserved, world.member)
    first = add_reply(app, thread_id, world.coordinator, "Risposta da tenere")
    last = add_reply(app, thread_id, world.member, "Risposta da eliminare", parent_id=first)
    child = add_reply(app, thread_id, world.coordinator, "Risposta alla risposta", parent_id=last)
    client.login(world.member.email)
    response = client.post(f"/spazi/{world.reserved.slug}/discussioni/messaggi/{child}/elimina")
    assert response.status_code == 403  # not theirs, not a coordinator
    response = client.post(f"/spazi/{world.reserved.slug}/discussioni/messaggi/{last}/elimina")
    assert response.status_code == 302
    page = text(client.get(thread_url(world.reserved, thread_id)))
    assert "Risposta da eliminare" not in page
    assert "Questo messaggio è stato eliminato." in page
    assert "Risposta alla risposta" in page  # the tree stays
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        child_post = db.session.get(Post, child)
        assert thread.reply_count == 2
        assert thread.last_activity_at == child_post.created_at
    # deleting the latest reply moves last activity back
    coordinator = client.__class__(app)
    coordinator.login(world.coordinator.email)
    coordinator.post(f"/spazi/{world.reserved.slug}/discussioni/messaggi/{child}/elimina")
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        assert thread.reply_count == 1
        assert thread.last_activity_at == db.session.get(Post, first).created_at
        assert db.session.scalar(select(ModerationAction.action)) is None  # own post: no log


def test_coordinators_hide_pin_lock_and_move_with_a_reason(app, client, world, new_client):
    thread_id = new_thread(app, world.reserved, world.member, title="Discussione da moderare")
    rude = add_reply(app, thread_id, world.member, "Un messaggio fuori luogo")
    coordinator = new_client()
    coordinator.login(world.coordinator.email)
    base = f"/spazi/{world.reserved.slug}/discussioni"
    # hiding needs a reason
    coordinator.post(f"{base}/messaggi/{rude}/modera", {"azione": "nascondi", "reason": ""})
    with app.app_context():
        assert not db.session.get(Post, rude).hidden
    coordinator.post(f"{base}/messaggi/{rude}/modera",
                     {"azione": "nascondi", "reason": "Linguaggio non rispettoso"})
    other = new_client()  # somebody who joins the space later
    from tests.factories import Factory
    Factory(app).member(world.reserved, world.outsider)
    other.login(world.outsider.email)
    page = text(other.get(thread_url(world.reserved, thread_id)))
    assert "Un messaggio fuori luogo" not in page
    assert "nascosto dai coordinatori" in page
    author_view = new_client()
    author_view.login(world.member.email)
    assert "Linguaggio non rispettoso" in text(
        author_view.get(thread_url(world.reserved, thread_id)))

    coordinator.post(f"{base}/{thread_id}/modera", {"azione": "fissa", "reason": ""})
    coordinator.post(f"{base}/{thread_id}/modera",
                     {"azione": "chiudi", "reason": "Argomento esaurito"})
    listing = text(other.get(f"{base}/"))
    assert "In evidenza" in listing and "Chiusa" in listing
    assert other.post(f"{base}/{thread_id}/rispondi", {"body": "Ancora io"}).status_code == 403
    assert "non si possono aggiungere risposte" in text(
        other.get(thread_url(world.reserved, thread_id)))
    assert coordinator.post(f"{base}/{thread_id}/modera", {"azione": "boh"}).status_code == 400

    # move to a space the coordinator manages (the regional one)
    move = text(coordinator.get(f"{base}/{thread_id}/sposta"))
    assert world.regional.name in move
    response = coordinator.post(f"{base}/{thread_id}/sposta",
                                {"space_id": world.regional.id, "reason": "Interessa a tutti"})
    assert response.status_code == 302
    assert coordinator.get(thread_url(world.reserved, thread_id)).status_code == 404
    assert "Discussione da moderare" in text(coordinator.get(thread_url(world.regional, thread_id)))
    with app.app_context():
        actions = db.session.scalars(select(ModerationAction.action).order_by(
            ModerationAction.id)).all()
        assert actions == ["hide", "pin", "lock", "move"]
    assert other.post(f"{base}/{thread_id}/modera", {"azione": "fissa"}).status_code == 404


def test_members_cannot_moderate(app, client, world):
    thread_id = new_thread(app, world.reserved, world.coordinator)
    client.login(world.member.email)
    base = f"/spazi/{world.reserved.slug}/discussioni"
    assert client.post(f"{base}/{thread_id}/modera", {"azione": "nascondi", "reason": "x"}
                       ).status_code == 403
    assert client.get(f"{base}/{thread_id}/sposta").status_code == 403


def test_hidden_thread_disappears_for_members_but_not_for_its_author(app, client, world,
                                                                     new_client):
    thread_id = new_thread(app, world.reserved, world.member, title="Thread da nascondere")
    coordinator = new_client()
    coordinator.login(world.coordinator.email)
    coordinator.post(f"/spazi/{world.reserved.slug}/discussioni/{thread_id}/modera",
                     {"azione": "nascondi", "reason": "Doppione di un'altra discussione"})
    from tests.factories import Factory
    Factory(app).member(world.reserved, world.outsider)
    client.login(world.outsider.email)
    assert client.get(thread_url(world.reserved, thread_id)).status_code == 404
    assert "Thread da nascondere" not in text(client.get("/discussioni"))
    author = new_client()
    author.login(world.member.email)
    assert "Doppione di un&#39;altra discussione" in author.get(
        thread_url(world.reserved, thread_id)).get_data(as_text=True)


def test_answer_of_a_question_and_outcome_of_a_proposal(app, client, world):
    question = new_thread(app, world.reserved, world.member, kind="domanda")
    good = add_reply(app, question, world.coordinator, "La risposta giusta è questa")
    client.login(world.member.email)
    base = f"/spazi/{world.reserved.slug}/discussioni"
    client.post(f"{base}/{question}/risposta", {"post_id": good})
    page = text(client.get(thread_url(world.reserved, question)))
    assert "Risposta accettata" in page
    assert page.index("Risposta accettata") < page.index(f'id="post-{good}"')
    assert "Risolta" in text(client.get(f"{base}/"))

    proposal = new_thread(app, world.reserved, world.member, kind="proposta",
                          title="Proposta: un tavolo unico per i bandi")
    response = client.post(f"{base}/{proposal}/esito",
                           {"outcome": "Il tavolo del 12 maggio ha deciso: **sì**, da settembre."})
    assert response.status_code == 302
    page = text(client.get(thread_url(world.reserved, proposal)))
    assert "Esito della proposta" in page and "<strong>sì</strong>" in page
    assert "Scritto da Membro Alleanza" in page
    # a question has no outcome, a proposal no answer
    assert "Solo una proposta ha un esito." in text(client.get(
        client.post(f"{base}/{question}/esito", {"outcome": "x"}).headers["Location"]))


def test_useful_is_counted_once_per_person_and_not_on_own_posts(app, client, world, new_client):
    thread_id = new_thread(app, world.reserved, world.member)
    post = add_reply(app, thread_id, world.coordinator, "Un consiglio pratico")
    url = f"/spazi/{world.reserved.slug}/discussioni/messaggi/{post}/utile"
    client.login(world.member.email)
    client.post(url)
    with app.app_context():
        assert db.session.get(Post, post).useful_count == 1
    page = text(client.get(thread_url(world.reserved, thread_id)))
    assert re.search(r'aria-pressed="true">Mi è utile <span class="cop-count">1</span>', page)
    client.post(url)  # takes it back
    with app.app_context():
        assert db.session.get(Post, post).useful_count == 0
    author = new_client()
    author.login(world.coordinator.email)
    assert author.post(url).status_code == 403


def test_mentions_link_people_and_warn_about_those_who_cannot_see(app, client, world):
    with app.app_context():
        member_handle = db.session.get(User, world.coordinator.id).handle
        outsider_handle = db.session.get(User, world.outsider.id).handle
    client.login(world.member.email)
    response = client.post(f"/spazi/{world.reserved.slug}/discussioni/nuova", {
        "title": "Chi viene al tavolo?", "kind": "avviso", "submit": "Pubblica",
        "body": f"Ciao @{member_handle} e @{outsider_handle}, ci vediamo?"})
    page = text(client.get(response.headers["Location"]))
    assert re.search(rf'href="/persone/{world.coordinator.id}"[^>]*>'
                     rf'@{re.escape(member_handle)}</a>', page)
    assert "Non abbiamo avvisato Persona Esterna: non può vedere questa discussione." in page
    with app.app_context():
        thread_id = db.session.scalar(select(Thread.id))
    base = f"/spazi/{world.reserved.slug}/discussioni/menzioni"
    people = client.get(f"{base}?discussione={thread_id}&q=coord")
    assert [p["name"] for p in people.get_json()] == ["Coordinatrice Alleanza"]
    nobody = client.get(f"{base}?discussione={thread_id}&q=pers")
    assert "Persona Esterna" not in [p["name"] for p in nobody.get_json()]
    assert [p["name"] for p in client.get(f"{base}?q=coord").get_json()] == \
        ["Coordinatrice Alleanza"]


def test_unread_markers_follow_what_the_person_read(app, client, world):
    thread_id = new_thread(app, world.reserved, world.coordinator, title="Da leggere")
    client.login(world.member.email)
    listing = f"/spazi/{world.reserved.slug}/discussioni/"
    assert 'cop-unread">Nuova<' in text(client.get(listing))
    client.get(thread_url(world.reserved, thread_id))
    assert 'cop-unread">Nuova<' not in text(client.get(listing))
    add_reply(app, thread_id, world.coordinator)
    add_reply(app, thread_id, world.coordinator)
    assert 'cop-unread">2 nuovi<' in text(client.get(listing))


@pytest.mark.parametrize("url", [
    "/spazi/{slug}/discussioni/abc", "/spazi/{slug}/discussioni/999999",
    "/spazi/{slug}/discussioni/999999/rispondi", "/spazi/{slug}/discussioni/messaggi/999/modifica",
    "/discussioni/messaggi/123456", "/spazi/{slug}/discussioni/?pagina=abc",
])
def test_bad_ids_are_404_never_500(client, world, url):
    client.login(world.member.email)
    status = client.get(url.format(slug=world.reserved.slug)).status_code
    assert status == (200 if "pagina" in url else 404)


def test_a_reply_lands_on_the_page_it_is_on_at_the_page_boundary(make_app, world):
    """The reply's page is worked out from the thread's count, not asked: 3 posts a page,
    the third post is the last of page 1 and the fourth the first of page 2."""
    from tests.conftest import Client

    app = make_app(POSTS_PER_PAGE=3)
    thread_id = new_thread(app, world.reserved, world.member)
    client = Client(app)
    client.login(world.coordinator.email)
    url = thread_url(world.reserved, thread_id)
    second = client.post(f"{url}/rispondi", {"body": "La seconda."}).headers["Location"]
    third = client.post(f"{url}/rispondi", {"body": "La terza."}).headers["Location"]
    fourth = client.post(f"{url}/rispondi", {"body": "La quarta."}).headers["Location"]
    assert "pagina" not in second and "pagina" not in third
    assert "pagina=2" in fourth
    assert "La quarta." in text(client.get(fourth)) and "La terza." in text(client.get(third))
