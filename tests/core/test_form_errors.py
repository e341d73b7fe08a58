"""The error summary's links go to a real element, and a group of radios says it is invalid.

A radio group has no element with the field's own id (the radios are `<id>-0`, `<id>-1`...),
so the summary links to the first radio; each radio carries aria-invalid, and the fieldset
points to the error message.
"""
from __future__ import annotations

import re

from tests.stories.helpers import story_form, thread


def test_a_radio_group_in_error_is_reachable_and_marked(app, client, world):
    thread_id = thread(app, world.reserved.id, world.coordinator.id)
    client.login(world.member.email)
    url = f"/spazi/{world.reserved.slug}/storie/nuova?su=thread&id={thread_id}"
    page = client.post(url, story_form(cycle="", title="No")).get_data(as_text=True)

    summary = re.search(r'<div class="alert alert-danger".*?</div>', page, re.S).group(0)
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert "cycle-0" in targets and "title" in targets
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    assert set(targets) <= ids, f"links to nothing: {set(targets) - ids}"

    radios = re.findall(r'<input[^>]*name="cycle"[^>]*>', page)
    assert radios and all('aria-invalid="true"' in radio for radio in radios)
    fieldset = re.search(r"<fieldset[^>]*>\s*<legend[^>]*>Che tipo di valore", page).group(0)
    described = re.search(r'aria-describedby="([^"]+)"', fieldset).group(1).split()
    assert "cycle-error" in described and set(described) <= ids


def test_a_radio_group_without_errors_is_not_invalid(app, client, world):
    thread_id = thread(app, world.reserved.id, world.coordinator.id)
    client.login(world.member.email)
    url = f"/spazi/{world.reserved.slug}/storie/nuova?su=thread&id={thread_id}"
    page = client.post(url, story_form(title="No")).get_data(as_text=True)
    assert 'href="#title"' in page
    assert "aria-invalid" not in "".join(re.findall(r'<input[^>]*name="cycle"[^>]*>', page))
