"""The reply page, where «Rispondi» and «Cita» lead without JavaScript (issue 17): it shows the
post answered above the form, «Cita» starts the form with a short Markdown quote, and what one
may not see cannot be quoted."""
from __future__ import annotations

import re

from sqlalchemy import select

from cop.auth.models import User
from cop.discussions import services
from cop.discussions.models import Post
from cop.extensions import db
from tests.notifications.helpers import add_reply, new_thread, text, thread_url


def _textarea(page: str) -> str:
    return re.search(r'<textarea[^>]*name="body"[^>]*>\r?\n?(.*?)</textarea>', page, re.S).group(1)


def test_the_reply_page_shows_the_post_answered(app, client, world):
    thread_id, opening = new_thread(app, world.reserved, world.member)
    parent = add_reply(app, thread_id, world.coordinator, "Voi come fate con i **trasporti**?")
    client.login(world.member.email)
    response = client.get(f"{thread_url(world.reserved, thread_id)}/rispondi?a={parent}")
    page = text(response)
    section = re.search(r'<section class="cop-card mb-3 cop-reply-parent".*?</section>', page,
                        re.S).group(0)
    assert "In risposta a" in section and "Coordinatrice Alleanza" in section
    assert "<strong>trasporti</strong>" in section
    assert re.search(rf'href="/discussioni/messaggi/{parent}">[^<]*\d{{1,2}}[.:]\d{{2}}', section)
    assert page.index("cop-reply-parent") < page.index('name="body"')  # above the form
    assert _textarea(page) == ""
    # the opening post too, when the reply answers it
    assert "Da noi si entra tra le 8 e le 10." in text(
        client.get(f"{thread_url(world.reserved, thread_id)}/rispondi?a={opening}"))


def test_the_post_answered_is_marked_italian_for_an_english_reader(app, client, world):
    thread_id, _opening = new_thread(app, world.reserved, world.member)
    parent = add_reply(app, thread_id, world.coordinator, "Noi usiamo il pulmino.")
    client.login(world.member.email)
    client.post("/lingua", {"lang": "en", "next": "/"})
    page = text(client.get(f"{thread_url(world.reserved, thread_id)}/rispondi?a={parent}"))
    assert re.search(r'<div lang="it" class="cop-html cop-quoted">\s*<p>Noi usiamo il pulmino.',
                     page)


def test_cita_starts_the_form_with_the_post_quoted(app, client, world):
    thread_id, _opening = new_thread(app, world.reserved, world.member)
    parent = add_reply(app, thread_id, world.coordinator, "Prima riga\n\n- un *punto*")
    client.login(world.member.email)
    page = text(client.get(f"{thread_url(world.reserved, thread_id)}/rispondi"
                           f"?a={parent}&cita={parent}"))
    assert _textarea(page) == \
        "**Coordinatrice Alleanza** ha scritto:\n> Prima riga\n>\n> - un *punto*\n\n"
    assert f'name="a" value="{parent}"' in page
    # The thread page links «Cita» there.
    thread_page = text(client.get(thread_url(world.reserved, thread_id)))
    assert f"/rispondi?a={parent}&cita={parent}" in thread_page


def test_a_long_post_is_quoted_short(app, client, world):
    long_body = "\n".join(f"Riga numero {i}" for i in range(60))
    thread_id, _opening = new_thread(app, world.reserved, world.member)
    parent = add_reply(app, thread_id, world.coordinator, long_body)
    wordy = add_reply(app, thread_id, world.coordinator, "parola " * 600)
    client.login(world.member.email)
    base = f"{thread_url(world.reserved, thread_id)}/rispondi"
    quote = _textarea(text(client.get(f"{base}?a={parent}&cita={parent}")))
    lines = quote.strip().splitlines()
    assert lines[1] == "> Riga numero 0" and "> Riga numero 19" in lines
    assert "> Riga numero 20" not in lines and lines[-1] == "> […]"
    quote = _textarea(text(client.get(f"{base}?a={wordy}&cita={wordy}")))
    assert len(quote) < 1600 and quote.strip().endswith("> […]")


def test_what_one_may_not_see_cannot_be_quoted(app, client, world):
    thread_id, _opening = new_thread(app, world.reserved, world.member)
    hidden = add_reply(app, thread_id, world.coordinator, "Un messaggio fuori luogo")
    deleted = add_reply(app, thread_id, world.coordinator, "Un messaggio ritirato")
    other_thread, other_opening = new_thread(app, world.reserved, world.member,
                                             title="Un'altra discussione qui")
    regional_thread, regional_opening = new_thread(app, world.regional, world.coordinator,
                                                   title="Una discussione regionale")
    with app.app_context():
        coordinator = db.session.get(User, world.coordinator.id)
        services.set_post_hidden(db.session.get(Post, hidden), coordinator, True, "Fuori tema")
        services.delete_post(db.session.get(Post, deleted), coordinator)
        db.session.commit()
    base = f"{thread_url(world.reserved, thread_id)}/rispondi"
    client.login(world.member.email)
    assert client.get(f"{base}?cita={hidden}").status_code == 404
    assert client.get(f"{base}?a={hidden}").status_code == 404
    assert client.get(f"{base}?cita={deleted}").status_code == 404
    assert client.get(f"{base}?cita={other_opening}").status_code == 404
    assert client.get(f"{base}?cita={regional_opening}").status_code == 404
    assert client.get(f"{base}?cita=999999").status_code == 404
    # the coordinator sees the hidden post, but a reply does not carry it out
    coordinator = client.__class__(app)
    coordinator.login(world.coordinator.email)
    assert coordinator.get(f"{base}?cita={hidden}").status_code == 404
    thread_page = text(coordinator.get(thread_url(world.reserved, thread_id)))
    assert f"cita={hidden}" not in thread_page and f"?a={hidden}" in thread_page
    # outside the space, the page itself does not exist
    outsider = client.__class__(app)
    outsider.login(world.outsider.email)
    assert outsider.get(f"{base}?a={hidden}&cita={hidden}").status_code == 404


def test_publishing_tells_the_thread_page_to_forget_the_draft(app, client, world):
    thread_id, _opening = new_thread(app, world.reserved, world.member)
    parent = add_reply(app, thread_id, world.coordinator, "Domanda sui trasporti")
    client.login(world.member.email)
    url = thread_url(world.reserved, thread_id)
    thread_page = text(client.get(url))
    assert "data-posted-draft" not in thread_page
    assert f'data-reply-draft="{thread_id}:0"' in thread_page
    assert 'id="cop-inline-reply"' in thread_page and 'id="inline-body"' in thread_page
    response = client.post(f"{url}/rispondi", {"parent_id": parent, "body": "Col pulmino.",
                                               "submit": "Pubblica"})
    assert response.status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post).where(Post.body == "Col pulmino."))
        assert post.parent_id == parent  # the in-place form names the parent as parent_id
    after = text(client.get(response.headers["Location"].split("#")[0]))
    assert f'data-posted-draft="{thread_id}:{parent}"' in after
    assert "data-posted-draft" not in text(client.get(url))  # said once
    # errors show the reply page again, with its draft key and the text
    page = text(client.post(f"{url}/rispondi", {"parent_id": parent, "body": "",
                                                "submit": "Pubblica"}))
    assert f'data-reply-draft="{thread_id}:{parent}"' in page
