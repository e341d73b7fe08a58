"""Downloads: members get the bytes as a download; outsiders and anonymous people get nothing."""
from __future__ import annotations

import io
from urllib.parse import quote

import pytest

from cop.extensions import db
from cop.files.models import Attachment
from tests.files import samples
from tests.files.test_storage import store, upload


@pytest.fixture
def pdf(app, world):
    [attachment_id] = store(app, world.reserved.id, world.member.id,
                            [upload("Verbale è ok.pdf", samples.PDF)])
    return attachment_id


def url(attachment_id, filename="Verbale è ok.pdf"):
    return f"/allegati/{attachment_id}/{quote(filename)}"


def test_a_member_downloads_the_same_bytes_as_an_attachment(client, world, pdf):
    client.login(world.member.email)
    response = client.get(url(pdf))
    assert response.status_code == 200
    assert response.data == samples.PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Verbale%20%C3%A8%20ok.pdf" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert "private" in response.headers["Cache-Control"]


def test_text_is_served_as_text_with_its_charset_never_as_html(app, client, world):
    [attachment_id] = store(app, world.reserved.id, world.member.id,
                            [upload("pagina.txt", samples.HTML)])
    client.login(world.member.email)
    response = client.get(url(attachment_id, "pagina.txt"))
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")


def test_the_space_coordinator_and_an_admin_download_too(new_client, world, pdf):
    for person in (world.coordinator, world.admin):
        client = new_client()
        client.login(person.email)
        assert client.get(url(pdf)).status_code == 200


def test_an_outsider_of_a_reserved_space_gets_not_found(client, world, pdf):
    client.login(world.outsider.email)
    refused = client.get(url(pdf))
    missing = client.get(url(pdf + 1000))
    assert refused.status_code == missing.status_code == 404
    assert samples.PDF not in refused.data
    # A wrong name does not reveal the right one either.
    assert client.get(url(pdf, "altro.pdf")).status_code == 404


def test_anybody_signed_in_downloads_from_a_regional_space(app, client, world):
    [attachment_id] = store(app, world.regional.id, world.coordinator.id,
                            [upload("guida.pdf", samples.PDF)])
    client.login(world.outsider.email)
    assert client.get(url(attachment_id, "guida.pdf")).data == samples.PDF


def test_anonymous_people_are_sent_to_sign_in(client, world, pdf):
    response = client.get(url(pdf))
    assert response.status_code == 302
    assert "/accedi" in response.headers["Location"]
    assert client.get(url(pdf + 1000)).status_code == 302  # the same for a missing file


def test_a_wrong_name_in_the_link_redirects_to_the_right_one(client, world, pdf):
    client.login(world.member.email)
    response = client.get(url(pdf, "vecchio nome.pdf"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(url(pdf))


def test_a_file_missing_from_the_disk_is_not_found_not_an_error(app, client, world, pdf):
    with app.app_context():
        from cop.files.services import path_of

        path_of(db.session.get(Attachment, pdf)).unlink()
    client.login(world.member.email)
    assert client.get(url(pdf)).status_code == 404


def test_a_file_moved_to_a_space_one_cannot_see_disappears(app, client, world, factory, pdf):
    from cop.files.services import move_owner_space

    other = factory.space(name="Gruppo ristretto")  # reserved, and the member is not in it
    with app.app_context():
        move_owner_space("test", [1], other.id)
        db.session.commit()
    client.login(world.member.email)
    assert client.get(url(pdf)).status_code == 404


def test_a_form_too_large_gets_a_clear_page_not_an_error(make_app, tmp_path):
    from tests.conftest import Client

    client = Client(make_app(UPLOAD_FOLDER=str(tmp_path), MAX_CONTENT_LENGTH=1000))
    response = client.post("/esci", {"file": (io.BytesIO(b"x" * 5000), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "File troppo grande" in response.get_data(as_text=True)
