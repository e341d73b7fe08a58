"""Sign-in with the organisation's identity provider in a real browser: the button on the
sign-in page, the provider (tests/oidc/provider.py, on loopback) and back, signed in; then
out, through the provider's end of session. axe-core checks the pages on the way."""
from __future__ import annotations

import pytest

from tests.browser.helpers import check_a11y, visit
from tests.oidc.provider import app_config, running_provider

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect


@pytest.fixture
def provider():
    with running_provider() as provider:
        yield provider


@pytest.fixture
def app(make_app, provider):
    return make_app(**app_config(provider))


def test_the_button_signs_in_through_the_provider_and_out_again(page, live_server, provider,
                                                                 factory):
    provider.allow_redirect(f"{live_server}/accedi/ente/ritorno")
    person = factory.user(name="Lucia Ferri", email="lucia.ferri@ats-bergamo.it")
    provider.sign_in_as("sub-lucia", email=person.email, name="Lucia Ferri")

    visit(page, "/accedi")
    page.get_by_role("link", name="Entra con SPID/CIE").click()
    page.wait_for_url(f"{live_server}/")
    expect(page.locator("#cop-user-menu-button")).to_contain_text("Lucia Ferri")
    check_a11y(page)
    assert provider.token_requests and provider.token_requests[0]["code_verifier"]

    visit(page, "/profilo")
    expect(page.get_by_role("heading", name="Accesso con il fornitore di identità")).to_be_visible()
    expect(page.get_by_text("collegato all'identità sub-lucia")).to_be_visible()

    page.locator("#cop-user-menu-button").click()
    page.get_by_role("button", name="Esci", exact=True).click()
    page.wait_for_url(f"{live_server}/accedi**")
    assert len(provider.logouts) == 1
    expect(page.get_by_role("link", name="Entra con SPID/CIE")).to_be_visible()
    check_a11y(page)
