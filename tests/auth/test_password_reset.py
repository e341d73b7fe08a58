"""Password reset by email: the message, the link, its single use and expiry, the sessions."""
import html
import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from cop.auth.models import LoginSession, User
from cop.extensions import db
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "Una frase nuova da ricordare"


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _request_link(client, smtp, email) -> str:
    response = client.post("/password/dimenticata", {"email": email})
    assert response.status_code == 302 and response.headers["Location"] == "/accedi"
    message = smtp.to(email.lower())[-1]
    [link] = smtp.links(message)
    assert link.startswith("http://localhost/password/reimposta/")
    return link.removeprefix("http://localhost")


def _reset(client, path, password=NEW_PASSWORD, confirm=None):
    return client.post(path, {"password": password, "confirm": confirm or password})


def _sessions(app, user_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(LoginSession)
                                 .where(LoginSession.user_id == user_id))


def _refused(client, email, password) -> bool:
    page = _text(client.post("/accedi", {"email": email, "password": password}))
    return "Email o password non corretti" in page


def test_reset_by_email_sets_a_new_password_and_ends_every_session(
        app, client, new_client, world, smtp):
    phone = new_client()
    response = phone.post("/accedi", {"email": world.member.email, "password": TEST_PASSWORD,
                                      "remember": "y"})
    assert response.status_code == 302 and phone.get("/spazi/miei").status_code == 200
    assert _sessions(app, world.member.id) == 1

    path = _request_link(client, smtp, world.member.email)
    [message] = smtp.messages
    assert message.subject == "Nuova password per la comunità di pratica"
    assert "Buongiorno Membro Alleanza" in message.body
    assert "vale una sola volta, per 2 ore" in message.body
    assert "Se l'indirizzo corrisponde a un account attivo" in _text(client.get("/accedi"))

    page = _text(client.get(path))
    assert "Scegli una nuova password" in page and f"Account: {world.member.email}" in page

    response = _reset(client, path)
    assert response.status_code == 302 and response.headers["Location"] == "/accedi"
    assert "Password aggiornata. Ora puoi accedere con la nuova password." in _text(
        client.get("/accedi"))

    assert _sessions(app, world.member.id) == 0
    response = phone.get("/spazi/miei")
    assert response.status_code == 302 and "/accedi" in response.headers["Location"]
    assert _refused(new_client(), world.member.email, TEST_PASSWORD)
    new_client().login(world.member.email, NEW_PASSWORD)
    with app.app_context():
        assert db.session.get(User, world.member.id).password_changed_at is not None


def test_the_link_works_once(client, new_client, world, smtp):
    path = _request_link(client, smtp, world.member.email)
    assert _reset(client, path).status_code == 302

    response = new_client().get(path)
    assert response.status_code == 404
    page = _text(response)
    assert "Collegamento non valido o scaduto" in page and "chiedi un nuovo collegamento" in page
    response = _reset(new_client(), path, password="Ancora un'altra frase")
    assert response.status_code == 404
    new_client().login(world.member.email, NEW_PASSWORD)


def test_using_one_link_voids_the_others(monkeypatch, client, new_client, world, smtp):
    with monkeypatch.context() as patch:  # links issued in the same second are the same link
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 600)
        first = _request_link(client, smtp, world.member.email)
    second = _request_link(client, smtp, world.member.email)
    assert new_client().get(first).status_code == 200
    assert first != second
    assert _reset(client, second).status_code == 302
    assert new_client().get(first).status_code == 404


def test_a_password_change_voids_links_sent_before(client, new_client, world, smtp):
    path = _request_link(client, smtp, world.member.email)
    signed_in = new_client()
    signed_in.login(world.member.email)
    response = signed_in.post("/profilo/password", {
        "current_password": TEST_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert new_client().get(path).status_code == 404


def test_the_link_expires(monkeypatch, client, new_client, world, smtp):
    issued = time.time() - 2 * 3600 - 60  # two hours and a minute ago
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: int(issued))
        old = _request_link(client, smtp, world.member.email)
    response = new_client().get(old)
    assert response.status_code == 404
    assert "Collegamento non valido o scaduto" in _text(response)
    assert _reset(new_client(), old).status_code == 404
    assert not _refused(new_client(), world.member.email, TEST_PASSWORD)

    fresh = _request_link(client, smtp, world.member.email)
    assert new_client().get(fresh).status_code == 200  # the same request, issued now, works


def test_a_tampered_link_is_refused(client, world, smtp):
    path = _request_link(client, smtp, world.member.email)
    token = path.rsplit("/", 1)[1]
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert client.get(f"/password/reimposta/{forged}").status_code == 404
    assert client.get("/password/reimposta/qualcosa").status_code == 404


def test_address_is_matched_whatever_the_case(client, world, smtp):
    _request_link(client, smtp, world.member.email.upper())
    assert smtp.to(world.member.email)


def test_no_mail_for_unknown_or_deactivated_addresses(client, world, factory, smtp):
    inactive = factory.user(active=False)
    for email in ("nessuno.qui@esempio.it", inactive.email):
        response = client.post("/password/dimenticata", {"email": email})
        assert response.status_code == 302 and response.headers["Location"] == "/accedi"
    assert smtp.messages == []


def test_deactivation_voids_a_link_sent_before(app, client, new_client, world, smtp):
    path = _request_link(client, smtp, world.member.email)
    admin = new_client()
    admin.login(world.admin.email)
    response = admin.post(f"/admin/persone/{world.member.id}", {
        "site_role": "membro", "organisation_id": str(world.member.organisation_id)})
    assert response.status_code == 302
    assert new_client().get(path).status_code == 404


def test_bad_new_passwords_are_explained_and_change_nothing(app, client, world, smtp):
    path = _request_link(client, smtp, world.member.email)
    with app.app_context():
        before = db.session.get(User, world.member.id).password_hash
    for password, confirm, problem in [
            ("corta-1", "corta-1", "almeno 10 caratteri"),
            ("password123", "password123", "più usate"),
            (NEW_PASSWORD, NEW_PASSWORD + "!", "Le due password non coincidono.")]:
        response = _reset(client, path, password, confirm)
        page = _text(response)
        assert response.status_code == 200
        assert problem in page and "Il modulo contiene errori" in page
        assert password not in page
    with app.app_context():
        assert db.session.get(User, world.member.id).password_hash == before
    assert _reset(client, path).status_code == 302  # still usable after the mistakes


def test_forgot_password_form_explains_a_bad_address(client, smtp):
    response = client.post("/password/dimenticata", {"email": "non-una-email"})
    page = _text(response)
    assert response.status_code == 200
    assert "Il modulo contiene errori" in page and 'value="non-una-email"' in page
    assert smtp.messages == []


@pytest.mark.parametrize("token", ["x", "abc.def.ghi", "%C3%A8" * 10, "a" * 600, "%00",
                                   "eyJ1IjoiYWJjIn0.ZmFrZQ.ZmFrZQ"])
def test_odd_reset_tokens_are_not_found(client, token):
    response = client.get(f"/password/reimposta/{token}")
    assert response.status_code == 404
    assert "Collegamento non valido o scaduto" in _text(response)
