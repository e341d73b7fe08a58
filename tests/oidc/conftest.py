"""Fixtures of the OpenID Connect tests: a real provider on loopback (tests/oidc/provider.py),
the app configured for it, and a test client that goes through the provider over HTTP."""
from __future__ import annotations

import html
import re

import pytest
import requests

from tests.conftest import Client
from tests.oidc.provider import app_config, running_provider

APP_URL = "http://localhost"  # where the test client's app is, as url_for(_external) says
CALLBACK = f"{APP_URL}/accedi/ente/ritorno"


@pytest.fixture(scope="session")
def _provider_server():
    with running_provider() as provider:
        yield provider


@pytest.fixture
def provider(_provider_server):
    """The provider, as new: nobody signed in, behaving, the test client's callback allowed."""
    p = _provider_server
    p.person, p.misbehave = {}, set()
    p.codes.clear()
    p.access_tokens.clear()
    for log in (p.authorize_requests, p.token_requests, p.logouts):
        log.clear()
    p.clients[next(iter(p.clients))]["redirect_uris"] = {CALLBACK}
    return p


@pytest.fixture
def app(make_app, provider):
    return make_app(**app_config(provider))


class ProviderClient(Client):
    """A test client whose sign-in goes to the provider over real HTTP and back."""

    def __init__(self, app, provider):
        super().__init__(app)
        self.provider = provider

    def to_provider(self, url="/accedi/ente") -> requests.Response:
        """Follows the button (a link); the browser's visit to the provider: its answer."""
        response = self.get(url)
        assert response.status_code == 302, response.get_data(as_text=True)
        location = response.headers["Location"]
        assert location.startswith(f"{self.provider.issuer}/authorize?"), location
        return requests.get(location, allow_redirects=False, timeout=10)

    def back_from(self, answer: requests.Response):
        """The provider's redirect back to the app, followed into it."""
        assert answer.status_code == 302, answer.text
        location = answer.headers["Location"]
        assert location.startswith(CALLBACK), location
        return self.get(location.removeprefix(APP_URL))

    def sign_in_through_provider(self, url="/accedi/ente"):
        return self.back_from(self.to_provider(url))

    def link_through_provider(self):
        """The profile's «Collega il tuo account» link (it carries the CSRF token)."""
        [link] = re.findall(r'href="(/profilo/collega-ente\?csrf_token=[^"]+)"',
                            self.page("/profilo"))
        return self.sign_in_through_provider(link)

    def page(self, path: str) -> str:
        return html.unescape(self.get(path).get_data(as_text=True))


@pytest.fixture
def client(app, provider):
    return ProviderClient(app, provider)
