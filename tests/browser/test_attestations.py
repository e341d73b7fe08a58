"""A learning attestation in a real browser: a member completes a path, opens the attestation
from the path's page (printed on A4 without the site's header and buttons), downloads the PDF,
and someone who never signed in checks the code, typed by hand, in a fresh browser context.
axe-core checks every page on the way."""
from __future__ import annotations

import re
from io import BytesIO

import pytest

from tests.browser.helpers import check_a11y, sign_in, visit
from tests.learning.helpers import Paths

pytestmark = pytest.mark.browser
expect = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need Playwright for Python (pip install -e '.[dev]')").expect

TITLE = "Lavoro agile in pratica"


def test_complete_a_path_open_the_attestation_and_check_it_publicly(page, new_page, app,
                                                                     world):
    from pypdf import PdfReader

    path_id = Paths(app).make(world.reserved.slug, world.coordinator.id, title=TITLE, modules=1)
    sign_in(page, world.member.email, world.member.password)
    visit(page, f"/formazione/percorsi/{path_id}")
    page.get_by_role("button", name=re.compile("Segna come completato")).click()
    expect(page.locator(".flash-messages")).to_contain_text("Complimenti")
    page.get_by_role("link", name="Il tuo attestato").click()

    expect(page.get_by_role("heading", level=1, name="Attestato di formazione")).to_be_visible()
    document = page.locator("article.cop-attestation")
    expect(document).to_contain_text("Membro Alleanza")
    expect(document).to_contain_text(TITLE)
    code = page.locator("dd.cop-attestation-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    expect(document.locator(f"a[href$='/verifica/{code}']")).to_be_visible()
    check_a11y(page)

    page.emulate_media(media="print")  # on paper: the document only
    expect(document).to_be_visible()
    for hidden in (".it-header-wrapper", ".it-footer", ".cop-noprint"):
        expect(page.locator(hidden).first).to_be_hidden()
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica il PDF").click()
    assert download.value.suggested_filename == f"attestato-{code.replace('-', '')}.pdf"
    with open(download.value.path(), "rb") as handle:
        text = " ".join(PdfReader(BytesIO(handle.read())).pages[0].extract_text().split())
    assert "Membro Alleanza" in text and TITLE in text and code in text

    stranger = new_page()  # never signed in
    visit(stranger, "/verifica")
    stranger.get_by_label("Codice di verifica").fill("ABCD-EFGH-JKMN")
    stranger.get_by_role("button", name="Verifica").click()
    expect(stranger.get_by_role("heading", name="Nessun attestato con questo codice")
           ).to_be_visible()
    expect(stranger.get_by_label("Codice di verifica")).to_have_attribute("aria-invalid", "true")
    check_a11y(stranger)
    stranger.get_by_label("Codice di verifica").fill(code.lower().replace("-", " "))
    stranger.get_by_role("button", name="Verifica").click()
    expect(stranger.get_by_role("heading", level=1, name="Attestato verificato")).to_be_visible()
    assert stranger.url.endswith(f"/verifica/{code}")
    verified = stranger.locator("dl.cop-verified")
    expect(verified).to_contain_text("Membro Alleanza")
    expect(verified).to_contain_text(TITLE)
    expect(stranger.get_by_text(world.member.email)).to_have_count(0)
    check_a11y(stranger)
