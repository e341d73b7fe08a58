"""Kept parts of the discussions' pages (cop/discussions/cards.py): post cards, the reply form,
thread rows. A part drawn for one reader never shows another's controls or unread marks, and a
kept part is the part that would be drawn.
"""
from __future__ import annotations

import difflib
import re

from cop.discussions.models import Post
from cop.extensions import db
from tests.discussions.test_threads import new_thread
from tests.notifications.helpers import add_reply, thread_url

# A CSRF token (Flask-WTF's signed value: data, timestamp, signature), wherever it stands.
CSRF_VALUE = re.compile(r"[\w-]{20,}\.[\w-]{6}\.[\w-]{20,}")


def _post_article(page: str, post_id: int) -> str:
    match = re.search(rf'<article id="post-{post_id}".*?</article>', page, re.DOTALL)
    assert match, f"post {post_id} is not on the page"
    return match.group(0)


def _controls(page: str, post_id: int) -> set[str]:
    card = _post_article(page, post_id)
    found = set()
    for name, sign in (("edit", f"/messaggi/{post_id}/modifica"),
                       ("delete", f"/messaggi/{post_id}/elimina"),
                       ("moderate", f"/messaggi/{post_id}/modera"),
                       ("useful", f"/messaggi/{post_id}/utile"),
                       ("reply", f"?a={post_id}")):
        if sign in card:
            found.add(name)
    return found


def _masked(page: str) -> str:
    """The page with its CSRF tokens blanked: a token is signed with the second it was made."""
    return CSRF_VALUE.sub("token", page)


def test_no_reader_ever_sees_another_readers_controls(app, world, factory, new_client):
    thread_id = new_thread(app, world.reserved, world.coordinator, title="Turni condivisi")
    reply_id = add_reply(app, thread_id, world.member, body="Da noi **funziona** così.")
    url = thread_url(world.reserved, thread_id)
    colleague = factory.user(name="Collega Prova")
    factory.member(world.reserved, colleague)
    readers = {"author": world.member, "colleague": colleague, "coordinator": world.coordinator}
    expected = {
        # the member wrote the reply: edits and deletes it, cannot find it useful
        "author": {"edit", "delete", "reply"},
        # another member of the space: the same page but for what only the author may do
        "colleague": {"useful", "reply"},
        # the coordinator manages the space: deletes and moderates it, finds it useful
        "coordinator": {"delete", "moderate", "useful", "reply"},
    }
    clients = {}
    for name, person in readers.items():
        clients[name] = new_client()
        clients[name].login(person.email)
    # each reader twice, in turn: the second round is served from the kept cards
    for _ in range(2):
        for name in readers:
            page = clients[name].get(url).get_data(as_text=True)
            assert _controls(page, reply_id) == expected[name], name
            token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
            card_tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"',
                                         _post_article(page, reply_id)))
            assert card_tokens == {token}, f"{name} got a card with another session's token"
    assert len(app.extensions["discussion_parts"]) >= 2


def test_a_kept_card_is_the_card_that_would_be_drawn(app, world, client):
    thread_id = new_thread(app, world.reserved, world.coordinator, title="Orari flessibili",
                           kind="proposta")
    first = add_reply(app, thread_id, world.member, body="Prima risposta")
    add_reply(app, thread_id, world.coordinator, body="Seconda, in risposta", parent_id=first)
    url = thread_url(world.reserved, thread_id)
    client.login(world.member.email)
    client.get(url)  # opening marks the thread read: what follows reads the same state
    cache = app.extensions["discussion_parts"]
    size = cache.size
    cache.size = 0
    drawn = _masked(client.get(url).get_data(as_text=True))
    cache.size = size
    filled = _masked(client.get(url).get_data(as_text=True))
    kept = _masked(client.get(url).get_data(as_text=True))
    assert drawn == filled, "".join(difflib.unified_diff(
        drawn.splitlines(True), filled.splitlines(True), n=1))
    assert filled == kept, "".join(difflib.unified_diff(
        filled.splitlines(True), kept.splitlines(True), n=1))


def test_what_changes_on_a_post_shows_at_once(app, world, new_client):
    thread_id = new_thread(app, world.reserved, world.coordinator, title="Nidi aziendali")
    reply_id = add_reply(app, thread_id, world.member, body="Testo di prima")
    url = thread_url(world.reserved, thread_id)
    reader = new_client()
    reader.login(world.coordinator.email)
    assert "Testo di prima" in _post_article(reader.get(url).get_data(as_text=True), reply_id)

    author = new_client()
    author.login(world.member.email)
    author.post(f"/spazi/{world.reserved.slug}/discussioni/messaggi/{reply_id}/modifica",
                {"body": "Testo di dopo", "submit": "Salva"})
    with app.app_context():
        assert db.session.get(Post, reply_id).body == "Testo di dopo"
    card = _post_article(reader.get(url).get_data(as_text=True), reply_id)
    assert "Testo di dopo" in card and "Testo di prima" not in card
    # stored HTML written again with no edit (a sanitiser upgrade re-renders every post)
    with app.app_context():
        db.session.get(Post, reply_id).body_html = "<p>Testo riscritto</p>"
        db.session.commit()
    assert "Testo riscritto" in _post_article(reader.get(url).get_data(as_text=True), reply_id)

    reader.post(f"/spazi/{world.reserved.slug}/discussioni/messaggi/{reply_id}/utile", {})
    card = _post_article(reader.get(url).get_data(as_text=True), reply_id)
    assert 'aria-pressed="true"' in card and '<span class="cop-count">1</span>' in card
    # the author's own card shows the count but no button
    card = _post_article(author.get(url).get_data(as_text=True), reply_id)
    assert "1 persona l'ha trovato utile" in card

    reader.post(f"/spazi/{world.reserved.slug}/discussioni/messaggi/{reply_id}/modera",
                {"azione": "nascondi", "reason": "Fuori tema"})
    card = _post_article(author.get(url).get_data(as_text=True), reply_id)
    assert "Nascosto dai coordinatori: Fuori tema" in card and "Testo riscritto" in card


def test_the_kept_reply_form_follows_who_may_reply(app, world, new_client):
    thread_id = new_thread(app, world.reserved, world.member, title="Sportello serale")
    url = thread_url(world.reserved, thread_id)
    coordinator, member = new_client(), new_client()
    coordinator.login(world.coordinator.email)
    member.login(world.member.email)
    for _ in range(2):  # the second round is served from the kept parts
        page = member.get(url).get_data(as_text=True)
        assert 'id="reply-title"' in page and 'id="cop-inline-reply"' in page
    coordinator.post(f"/spazi/{world.reserved.slug}/discussioni/{thread_id}/modera",
                     {"azione": "chiudi", "reason": "Argomento concluso"})
    for _ in range(2):
        locked_for_member = member.get(url).get_data(as_text=True)
        assert "La discussione è chiusa" in locked_for_member
        assert 'id="reply-title"' not in locked_for_member
        # coordinators still reply to a closed thread: their form, with their own token
        page = coordinator.get(url).get_data(as_text=True)
        assert 'id="reply-title"' in page
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        form = page[page.index('id="reply-title"'):]
        assert re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                         r'name="csrf_token" value="([^"]+)"', form)
        assert token in form


def _row(page: str, thread_id: int) -> str:
    match = re.search(rf'<li class="cop-thread-row">(?:(?!</li>).)*?/discussioni/{thread_id}"'
                      r".*?</li>", page, re.DOTALL)
    assert match, f"thread {thread_id} is not listed"
    return match.group(0)


def test_kept_thread_rows_keep_each_readers_unread_marks(app, world, factory, new_client):
    thread_id = new_thread(app, world.reserved, world.coordinator, title="Banca delle ore")
    listing = f"/spazi/{world.reserved.slug}/discussioni/"
    colleague = factory.user(name="Collega Prova")
    factory.member(world.reserved, colleague)
    reader, other = new_client(), new_client()
    reader.login(world.member.email)
    other.login(colleague.email)
    reader.get(thread_url(world.reserved, thread_id))  # the member has read it
    for _ in range(2):  # the second round is served from the kept rows
        # the colleague never opened it: «Nuova» for them, and only for them
        assert "Nuova" in _row(other.get(listing).get_data(as_text=True), thread_id)
        assert "cop-unread" not in _row(reader.get(listing).get_data(as_text=True), thread_id)
        assert "Nuova" in _row(other.get("/discussioni").get_data(as_text=True), thread_id)
        for url in ("/discussioni", f"/spazi/{world.reserved.slug}/"):
            assert "cop-unread" not in _row(reader.get(url).get_data(as_text=True), thread_id)
    add_reply(app, thread_id, world.coordinator, body="Una risposta nuova")
    row = _row(reader.get(listing).get_data(as_text=True), thread_id)
    assert "1 nuovo" in row and "1 risposta" in row


def test_a_kept_row_is_the_row_that_would_be_drawn(app, world, client):
    new_thread(app, world.reserved, world.coordinator, title="Nidi condivisi", tags=("nidi",))
    client.login(world.member.email)
    cache = app.extensions["discussion_parts"]
    size = cache.size
    for url in (f"/spazi/{world.reserved.slug}/discussioni/", "/discussioni",
                f"/spazi/{world.reserved.slug}/"):
        cache.size = 0
        drawn = _masked(client.get(url).get_data(as_text=True))
        cache.size = size
        filled = _masked(client.get(url).get_data(as_text=True))
        kept = _masked(client.get(url).get_data(as_text=True))
        assert drawn == filled == kept, url
