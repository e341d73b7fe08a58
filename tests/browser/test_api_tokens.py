"""The Region's monitoring person makes an API token in a real browser (from their profile),
copies it from the one page that shows it, uses it over real HTTP, then revokes it. axe-core
checks every page."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.browser.helpers import check_a11y, sign_in, visit

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect


def _get(url: str, token: str):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response), response.headers
    except urllib.error.HTTPError as error:
        return error.code, json.load(error), error.headers


def test_make_use_and_revoke_a_token(page, live_server, world):
    sign_in(page, world.member.email, world.member.password)
    visit(page, f"/persone/{world.member.id}")
    page.get_by_role("link", name="Token per l'API").click()
    expect(page.get_by_role("heading", level=1, name="Token per l'API")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Nome del token").fill("Monitoraggio regionale")
    page.get_by_text("Spazi: leggere gli spazi che vedi").click()  # the label, as people do
    expect(page.get_by_label("Spazi: leggere gli spazi che vedi")).to_be_checked()
    page.get_by_role("button", name="Crea il token").click()
    secret_box = page.get_by_label("Token da copiare")
    expect(secret_box).to_be_visible()
    check_a11y(page)
    secret = secret_box.input_value()
    assert secret.startswith("cop_")

    status, body, headers = _get(f"{live_server}/api/v1/spaces?per_page=100", secret)
    assert status == 200 and "Set-Cookie" not in headers
    assert world.reserved.slug in {space["slug"] for space in body["data"]}
    status, body, _ = _get(f"{live_server}/api/v1/meetings", secret)
    assert status == 403 and body["error"]["code"] == "insufficient_scope"

    visit(page, "/profilo/token-api")
    expect(page.get_by_label("Token da copiare")).to_have_count(0)  # shown once only
    row = page.get_by_role("row", name="Monitoraggio regionale")
    expect(row).not_to_contain_text("mai")  # used just now
    row.get_by_role("button", name="Revoca").click()
    expect(page.get_by_role("status")).to_contain_text("revocato")
    status, body, _ = _get(f"{live_server}/api/v1/spaces", secret)
    assert status == 401 and body["error"]["code"] == "token_revoked"
