"""Previews are limited per person: past the limit the form says so and keeps what was typed.

Rendering is the costly part of the pages that write posts (issue 16); each test gets a new
app, so a new memory:// store of the rate limits.
"""
from __future__ import annotations

from sqlalchemy import select

from cop.discussions.models import Thread
from cop.extensions import db
from tests.notifications.helpers import add_reply, new_thread, text, thread_url

REFUSED = "Hai chiesto molte anteprime in poco tempo"


def _new_thread(client, world, body, button="preview"):
    data = {"title": "Orari del nido d'estate", "kind": "domanda", "body": body}
    data.update({"preview": "Anteprima"} if button == "preview" else {"submit": "Pubblica"})
    return client.post(f"/spazi/{world.reserved.slug}/discussioni/nuova", data)


def test_past_the_limit_the_preview_is_refused_and_the_text_kept(app, client, world):
    app.config["PREVIEW_RATE_LIMIT"] = "2 per minute"
    client.login(world.member.email)
    for n in (1, 2):
        page = text(_new_thread(client, world, f"Bozza *numero {n}*"))
        assert f"<em>numero {n}</em>" in page and REFUSED not in page

    page = text(_new_thread(client, world, "Una bozza *da non perdere*"))
    assert REFUSED in page
    assert "<em>da non perdere</em>" not in page
    assert "Una bozza *da non perdere*</textarea>" in page
    assert 'value="Orari del nido d\'estate"' in page

    # Publishing is not a preview.
    assert _new_thread(client, world, "Una bozza *da non perdere*", "submit").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Thread.title)) == "Orari del nido d'estate"


def test_replies_and_edits_count_towards_the_same_limit_of_each_person(app, client, new_client,
                                                                      world):
    app.config["PREVIEW_RATE_LIMIT"] = "2 per minute"
    thread_id, _ = new_thread(app, world.reserved, world.coordinator)
    post_id = add_reply(app, thread_id, world.member)
    client.login(world.member.email)
    reply = f"{thread_url(world.reserved, thread_id)}/rispondi"
    edit = f"/spazi/{world.reserved.slug}/discussioni/messaggi/{post_id}/modifica"

    assert "<strong>uno</strong>" in text(client.post(reply, {"body": "**uno**", "preview": "1"}))
    assert "<strong>due</strong>" in text(client.post(edit, {"body": "**due**", "preview": "1"}))
    page = text(client.post(reply, {"body": "**tre**", "preview": "1"}))
    assert REFUSED in page and "**tre**</textarea>" in page

    other = new_client()
    other.login(world.coordinator.email)
    page = text(other.post(reply, {"body": "**quattro**", "preview": "1"}))
    assert "<strong>quattro</strong>" in page and REFUSED not in page


def test_a_text_longer_than_the_form_accepts_is_not_rendered(client, world):
    client.login(world.member.email)
    page = text(_new_thread(client, world, "*a*" * 7000))
    assert "<em>a</em>" not in page
    assert "20000" in page or "20.000" in page  # the length error of the field
