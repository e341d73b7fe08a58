"""The sign-in page with a provider: its button, and password sign-in as the installation
allows it (off: hidden and refused, but for the administrators' break-glass)."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from cop.auth.models import LoginSession, User
from cop.extensions import db
from tests.conftest import TEST_PASSWORD, Client
from tests.oidc.conftest import ProviderClient
from tests.oidc.provider import app_config

REFUSED = "accesso con password non consentito a questo account"


def _sessions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(LoginSession))


def test_the_sign_in_page_shows_the_providers_button_beside_the_password(client):
    page = client.page("/accedi")
    assert "Entra con SPID/CIE" in page and 'href="/accedi/ente?next=/"' in page
    assert 'name="password"' in page and "Oppure accedi con email e password" in page


def test_without_a_provider_there_is_no_button_and_its_routes_are_missing(make_app):
    app = make_app()
    client = Client(app)
    page = html.unescape(client.get("/accedi").get_data(as_text=True))
    assert "/accedi/ente" not in page and 'name="password"' in page
    assert client.get("/accedi/ente").status_code == 404
    assert client.get("/accedi/ente/ritorno?code=x&state=y").status_code == 404


def test_password_sign_in_off_hides_the_form_and_refuses_people(make_app, provider, factory):
    app = make_app(**app_config(provider, PASSWORD_SIGN_IN=False))
    factory.app = app
    person = factory.user(name="Membro Qualsiasi")
    client = ProviderClient(app, provider)

    page = client.page("/accedi")
    assert "Entra con SPID/CIE" in page
    assert 'name="password"' not in page
    assert "Accesso di emergenza con password (solo amministratori)" in page

    # The right password of a member is refused, as a wrong one would be.
    response = client.post("/accedi", {"email": person.email, "password": TEST_PASSWORD})
    assert response.status_code == 200 and REFUSED in html.unescape(response.get_data(as_text=True))
    assert _sessions(app) == 0
    assert client.get("/spazi/miei").status_code == 302

    # The provider's way in still works for the same person.
    provider.sign_in_as("sub-membro", email=person.email)
    assert client.sign_in_through_provider().headers["Location"] == "/"


def test_password_sign_in_off_keeps_a_break_glass_for_administrators(make_app, provider,
                                                                       factory):
    app = make_app(**app_config(provider, PASSWORD_SIGN_IN=False))
    factory.app = app
    admin = factory.user(name="Amministratrice", site_role="admin")
    client = ProviderClient(app, provider)

    page = client.page("/accedi?password=1")
    assert 'name="password"' in page and "Accesso di emergenza degli amministratori" in page
    assert 'action="/accedi?password=1"' in page

    response = client.post("/accedi?password=1", {"email": admin.email,
                                                  "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert _sessions(app) == 1


def test_failed_callbacks_count_against_the_sign_in_limit(make_app, provider):
    app = make_app(**app_config(provider, LOGIN_RATE_LIMIT="3 per minute"))
    client = ProviderClient(app, provider)
    answers = [client.get("/accedi/ente/ritorno?code=rubato&state=inventato").status_code
               for _ in range(4)]
    assert answers == [302, 302, 302, 429]


def test_the_data_export_lists_the_linked_identity(client, provider, factory):
    person = factory.user(name="Rita Longo", email="rita.longo@esempio.it")
    provider.sign_in_as("sub-rita", email=person.email)
    client.sign_in_through_provider()
    data = client.get("/profilo/dati.json").get_json()
    [identity] = data["identity_providers"]
    assert identity["issuer"] == provider.issuer and identity["subject"] == "sub-rita"
    assert identity["email"] == "rita.longo@esempio.it"


def test_password_sign_in_off_accepts_invitations_only_through_the_provider(make_app, provider,
                                                                          world, smtp):
    app = make_app(**app_config(provider, PASSWORD_SIGN_IN=False))
    admin = ProviderClient(app, provider)
    admin.post("/accedi?password=1", {"email": world.admin.email, "password": TEST_PASSWORD})
    admin.post("/invita", {"email": "piero.sala@esempio.it", "name": "Piero Sala",
                           "space_role": "membro", "space_id": "0",
                           "organisation_id": str(world.member.organisation_id)})
    [message] = smtp.to("piero.sala@esempio.it")
    [link] = [x for x in smtp.links(message) if "/invito/" in x]
    path = link.removeprefix("http://localhost")
    client = ProviderClient(app, provider)

    page = client.page(path)
    assert "Entra con SPID/CIE" in page and 'name="password"' not in page
    refused = client.post(path, {"name": "Piero Sala", "password": "Una frase lunga per entrare",
                                 "confirm": "Una frase lunga per entrare", "locale": "it"})
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(
            User.email == "piero.sala@esempio.it")) == 0


def test_an_installation_without_the_openid_scope_or_with_an_unknown_mode_does_not_start(
        make_app, provider):
    with pytest.raises(RuntimeError, match="openid"):
        make_app(**app_config(provider, OIDC_SCOPES="email profile"))
    with pytest.raises(RuntimeError, match="COP_OIDC_FIRST_SIGN_IN"):
        make_app(**app_config(provider, OIDC_FIRST_SIGN_IN="anyone"))
