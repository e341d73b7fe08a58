"""A link to a space goes only to whom may see it: a reserved space is "Pagina non trovata"
outside it (and joins by invitation), so its name shows as plain text there."""
from __future__ import annotations

import re

from tests.meetings.helpers import Meetings
from tests.practices.helpers import Practices


def _space_links(page: str, slug: str) -> list[str]:
    return re.findall(rf'<a [^>]*href="/spazi/{slug}/"', page)


def test_a_public_practice_names_its_reserved_space_without_a_dead_link(app, client, new_client,
                                                                          world):
    practice_id = Practices(app).make(world.reserved.slug, world.coordinator.id,
                                      title="Sportello caregiver", visibility="pubblica")
    slug = world.reserved.slug
    client.login(world.outsider.email)
    assert client.get(f"/spazi/{slug}/").status_code == 404
    page = client.get(f"/pratiche/{practice_id}").get_data(as_text=True)
    assert "Sportello caregiver" in page
    assert _space_links(page, slug) == []

    member = new_client()
    member.login(world.member.email)
    page = member.get(f"/pratiche/{practice_id}").get_data(as_text=True)
    assert len(_space_links(page, slug)) == 1


def test_an_invited_outsider_sees_the_space_name_of_the_meeting_as_text(app, client, world):
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id,
                                    invite_ids=[world.outsider.id], title="Incontro aperto")
    client.login(world.outsider.email)
    page = client.get(f"/incontri/{meeting_id}").get_data(as_text=True)
    assert "Alleanza Bergamo 1" in page  # named, in the breadcrumbs and the facts
    assert _space_links(page, world.reserved.slug) == []
    assert f'href="/spazi/{world.reserved.slug}/incontri/' not in page
