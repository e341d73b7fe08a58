"""One safe-redirect check for every `next` of the application (issue 16, item 10)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from cop.urls import safe_next

LEAVING = ["//evil.example", "/\t/evil.example", "/\n/evil.example", "/\\evil.example",
           "\\\\evil.example", "https://evil.example/", "http:/evil.example", "/ /evil.example",
           "javascript:alert(1)", "evil.example", "/\r\n/evil.example", "/\x00/evil.example",
           "\t//evil.example", "/\u3000/evil.example"]


@pytest.mark.parametrize("target", LEAVING)
def test_a_target_that_could_leave_the_site_falls_back(target):
    assert safe_next(target, "/casa") == "/casa"


@pytest.mark.parametrize("target", ["/azioni/", "/spazi/ats-bergamo/?pagina=2",
                                    "/cerca?q=asilo%20nido", "/rubrica/?competenza=E3#risultati"])
def test_a_path_on_the_site_is_followed(target):
    assert safe_next(target, "/casa") == target


def test_every_next_read_from_a_request_goes_through_safe_next():
    reads = re.compile(r"request\.(?:form|args|values)\.get\(\s*[\"']next[\"']")
    for path in (Path(__file__).parents[2] / "cop").rglob("*.py"):
        for line in path.read_text().splitlines():
            if reads.search(line):
                assert "safe_next(" in line, f"{path.name}: {line.strip()}"


@pytest.mark.parametrize("target", ["/\t/evil.example", "//evil.example", "/\\evil.example"])
def test_the_language_switch_and_sign_in_stay_on_the_site(client, world, target):
    response = client.post("/lingua", {"lang": "en", "next": target})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
    response = client.post(f"/accedi?next={target}", {"email": world.member.email,
                                                      "password": "Prova-password-sicura-1"})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
