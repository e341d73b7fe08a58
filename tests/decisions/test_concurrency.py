"""Many people taking a position at the same moment, through a real threaded server: every
position counts once, and a person who sends theirs twice at once is counted once."""
from __future__ import annotations

import pytest

from tests.concurrency import post_at_once
from tests.decisions import helpers


@pytest.mark.commits
def test_positions_sent_at_once_are_all_counted_once(app, world, factory):
    thread_id = helpers.thread(app, world.regional.id, world.coordinator.id)
    poll_id = helpers.decision(app, world.coordinator.id, thread_id=thread_id,
                               kind="sondaggio", title="Prossimo tema",
                               options=["Caregiver", "Lavoro agile"])
    ids = helpers.options(app, poll_id)
    people = [factory.user() for _ in range(6)]
    statuses = post_at_once(app, people, f"/decisioni/{poll_id}/posizione",
                            lambda i: {"choice": ids["Caregiver" if i % 2 else "Lavoro agile"],
                                       "reason": f"Motivo {i}"})
    assert statuses == [302] * 6
    assert helpers.counts(app, poll_id) == (6, {"Caregiver": (3, 0), "Lavoro agile": (3, 0)})
    twice = [world.member, world.member]  # two tabs of the same person
    assert post_at_once(app, twice, f"/decisioni/{poll_id}/posizione",
                        lambda i: {"choice": ids["Caregiver"]}) == [302, 302]
    assert helpers.counts(app, poll_id) == (7, {"Caregiver": (4, 0), "Lavoro agile": (3, 0)})
