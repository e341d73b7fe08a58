"""A number in a query string that no column can hold is a 404 or nothing found, never a
500 (issue 16, item 9)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.notifications.helpers import new_thread, thread_url

HUGE = "99999999999999999999"


def test_no_request_number_is_read_without_the_database_bound():
    unbounded = re.compile(r"request\.(?:form|args|values)\.get\([^)]*type=int\b")
    for path in (Path(__file__).parents[2] / "cop").rglob("*.py"):
        assert not unbounded.search(path.read_text()), path.name


@pytest.mark.parametrize("value", [HUGE, f"-{HUGE}", "2147483648", "1e99", "0x10", "", "½"])
def test_huge_or_odd_numbers_in_query_strings_answer_cleanly(app, world, client, value):
    thread_id, post_id = new_thread(app, world.reserved, world.member)
    client.login(world.member.email)
    urls = [f"/spazi/?ats={value}", f"/spazi/?ats={value}&pagina={value}",
            f"{thread_url(world.reserved, thread_id)}/rispondi?cita={value}",
            f"{thread_url(world.reserved, thread_id)}/rispondi?a={value}",
            f"/spazi/{world.reserved.slug}/discussioni/?discussione={value}",
            f"/cerca?q=orari&pagina={value}", f"/rubrica/?pagina={value}",
            f"/rubrica/mappa?ats={value}", f"/pratiche/?pagina={value}",
            f"/notifiche/?pagina={value}", f"/discussioni/messaggi/{value}",
            f"/incontri/{value}", f"/pratiche/{value}"]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), (url, response.status_code)


def test_a_nul_anywhere_in_a_request_is_refused_before_any_query(app, world, client):
    client.login(world.admin.email)
    for url in ("/admin/organizzazioni?q=a%00b", "/cerca?q=%00", "/rubrica/?q=x%00"):
        assert client.get(url).status_code == 400, url
    assert client.get("/spazi/a%00b/").status_code == 404  # an address that names nothing
    response = client.post("/lingua", {"lang": "en", "next": "/\x00"})
    assert response.status_code == 400
