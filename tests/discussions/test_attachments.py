"""Files attached to posts: checked on upload, downloaded only by those who may read the post."""
from __future__ import annotations

import io
import re

from sqlalchemy import select

from cop.discussions.models import Post
from cop.extensions import db
from cop.files.models import Attachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _open_thread_with_file(client, world, filename="verbale.pdf", content=PDF):
    return client.post(f"/spazi/{world.reserved.slug}/discussioni/nuova", {
        "title": "Il verbale del tavolo di marzo", "kind": "avviso", "body": "Vedi allegato.",
        "submit": "Pubblica", "attachments": (io.BytesIO(content), filename)},
        content_type="multipart/form-data")


def test_a_post_carries_a_file_that_members_download_and_outsiders_cannot(app, client, world,
                                                                          new_client):
    client.login(world.member.email)
    response = _open_thread_with_file(client, world)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    link = re.search(r'href="(/allegati/\d+/verbale\.pdf)"', page).group(1)
    download = client.get(link)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    outsider = new_client()
    outsider.login(world.outsider.email)
    assert outsider.get(link).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Post.attachment_count).where(Post.depth == 0)) == 1


def test_a_spoofed_file_is_refused_and_the_text_kept(app, client, world):
    client.login(world.member.email)
    response = _open_thread_with_file(client, world, "verbale.pdf", b"MZ\x90\x00 not a pdf")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "non è un PDF valido" in page
    assert "Il verbale del tavolo di marzo" in page and "Vedi allegato." in page
    with app.app_context():
        assert db.session.scalar(select(Attachment.id)) is None


def test_deleting_or_hiding_the_post_takes_its_file_away(app, client, world, new_client):
    client.login(world.member.email)
    thread_url = _open_thread_with_file(client, world).headers["Location"]
    response = client.post(thread_url + "/rispondi", {
        "body": "Ecco anche la presentazione.", "submit": "Pubblica",
        "attachments": (io.BytesIO(PDF), "slide.pdf")}, content_type="multipart/form-data")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    slide = re.search(r'href="(/allegati/\d+/slide\.pdf)"', page).group(1)
    verbale = re.search(r'href="(/allegati/\d+/verbale\.pdf)"', page).group(1)
    with app.app_context():
        reply_id = db.session.scalar(select(Post.id).where(Post.depth == 1))
        opening_id = db.session.scalar(select(Post.id).where(Post.depth == 0))
    coordinator = new_client()
    coordinator.login(world.coordinator.email)
    coordinator.post(f"/spazi/{world.reserved.slug}/discussioni/messaggi/{reply_id}/modera",
                     {"azione": "nascondi", "reason": "Documento non definitivo"})
    from tests.factories import Factory
    Factory(app).member(world.reserved, world.outsider)
    other = new_client()
    other.login(world.outsider.email)
    assert other.get(slide).status_code == 404  # hidden post
    assert coordinator.get(slide).status_code == 200
    client.post(f"/spazi/{world.reserved.slug}/discussioni/messaggi/{opening_id}/elimina")
    assert client.get(verbale).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Attachment.filename)) == "slide.pdf"
