"""The accessibility statement (AgID guidelines): public, in Italian and English, linked from the
footer of every page, with its conformance status, known gaps, date, method, the feedback
address and the enforcement procedure."""
from __future__ import annotations

import html
import re

FOOTER_LINK = re.compile(r'<footer.*href="/accessibilita".*</footer>', re.DOTALL)


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def test_the_statement_in_italian(app, client):
    text = _text(client.get("/accessibilita"))
    assert "<h1>Dichiarazione di accessibilità</h1>" in text
    assert "parzialmente conforme" in text
    assert "WCAG 2.1 di livello AA" in text and "EN 301 549" in text
    assert "PDF senza tag" in text  # the known gaps, honestly
    assert "redatta il 7 dicembre 2026" in text
    assert "autovalutazione" in text and "axe-core" in text
    contact = app.config["ACCESSIBILITY_CONTACT"]
    assert f'href="mailto:{contact}"' in text
    assert "procedura di attuazione" in text
    assert f'href="{app.config["ACCESSIBILITY_AGID_URL"]}"' in text


def test_the_statement_in_english(client):
    response = client.post("/lingua", {"lang": "en", "next": "/accessibilita"})
    assert response.headers["Location"] == "/accessibilita"
    text = _text(client.get("/accessibilita"))
    assert '<html lang="en">' in text
    assert "<h1>Accessibility statement</h1>" in text
    assert "partially compliant" in text and "WCAG 2.1 guidelines at level AA" in text
    assert "untagged PDFs" in text
    assert "prepared on December 7, 2026" in text
    assert "self-assessment" in text
    assert "Enforcement procedure" in text
    assert "Dichiarazione di accessibilità" not in text


def test_every_page_links_to_it_from_the_footer(client, world):
    assert FOOTER_LINK.search(_text(client.get("/")))
    assert FOOTER_LINK.search(_text(client.get("/accedi")))
    client.login(world.member.email, world.member.password)
    home = _text(client.get("/"))
    assert FOOTER_LINK.search(home)
    assert ">Dichiarazione di accessibilità</a>" in home
