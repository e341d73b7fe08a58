"""A reserved space's discussions reach nobody outside it, channel by channel."""
from __future__ import annotations

import io
import re

from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.notifications.models import Notification

SECRET = "Zanzibar"  # a word that appears nowhere else


def test_no_channel_shows_a_reserved_thread_to_an_outsider(app, client, world, new_client, smtp):
    with app.app_context():
        outsider_handle = db.session.get(User, world.outsider.id).handle
    outsider = new_client()
    outsider.login(world.outsider.email)
    # The outsider tries to follow the reserved space before anything is written: refused.
    assert outsider.post("/notifiche/segui", {"space_id": world.reserved.id,
                                              "level": "follow"}).status_code == 404

    client.login(world.member.email)
    response = client.post(f"/spazi/{world.reserved.slug}/discussioni/nuova", {
        "title": f"Progetto {SECRET} riservato", "kind": "esperienza", "submit": "Pubblica",
        "body": f"Dettagli {SECRET} per @{outsider_handle}",
        "attachments": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "riservato.pdf")},
        content_type="multipart/form-data")
    thread_url = response.headers["Location"]
    page = client.get(thread_url).get_data(as_text=True)
    download = re.search(r'href="(/allegati/\d+/riservato\.pdf)"', page).group(1)
    client.post(thread_url + "/rispondi", {"body": f"Risposta {SECRET}", "submit": "Pubblica"})

    def sees_secret(url):
        response = outsider.get(url)
        return response.status_code == 200 and SECRET in response.get_data(as_text=True)

    assert outsider.get(thread_url).status_code == 404                      # the page
    assert outsider.get(download).status_code == 404                        # the file
    assert not sees_secret("/discussioni")                                  # regional list
    assert not sees_secret(f"/spazi/{world.regional.slug}/discussioni/")    # other lists
    search = outsider.get(f"/cerca?q={SECRET}").get_data(as_text=True)      # search
    assert "Nessun risultato" in search and "Progetto" not in search
    assert not sees_secret("/notifiche/")                                   # notifications
    assert not sees_secret("/")                                             # home and bell
    assert "Notifiche, nessuna non letta" in outsider.get("/").get_data(as_text=True)
    assert smtp.to(world.outsider.email) == []                              # emails
    with app.app_context():
        assert db.session.scalar(select(Notification.id).where(
            Notification.user_id == world.outsider.id)) is None
    # while a member finds it
    member_search = client.get(f"/cerca?q={SECRET}").get_data(as_text=True)
    assert f"Progetto <mark>{SECRET}</mark> riservato" in member_search
