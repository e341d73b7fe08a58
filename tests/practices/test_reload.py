"""A failed button leaves the reader on a URL a reload (or a bookmark) can open."""
from __future__ import annotations

import pytest

from tests.practices.helpers import Practices


@pytest.mark.parametrize("action", ["valutazione", "pubblica", "adotta", "commenta"])
def test_the_address_of_a_button_answers_a_get(client, world, app, factory, action):
    curator = factory.user(name="Curatrice Regionale", site_role="curatore")
    practice_id = Practices(app).make(world.reserved.slug, world.member.id, status="inviata")
    client.login(curator.email)
    failed = client.post(f"/pratiche/{practice_id}/valutazione", {"send_back": "1"})
    assert failed.status_code == 400  # a send-back without a comment
    response = client.get(f"/pratiche/{practice_id}/{action}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/pratiche/{practice_id}")
