"""@mention suggestions: the thread's participants first, then the space's members, then the
rest of the region, each group alphabetically."""
from __future__ import annotations

from tests.discussions.test_threads import new_thread


def test_participants_then_members_then_the_region(app, client, factory, world):
    space = world.regional
    region = factory.user(name="Anna Alberti")  # sees the regional space, not a member
    member = factory.user(name="Anna Bruni")
    participant = factory.user(name="Anna Verdi")
    factory.member(space, member)
    factory.member(space, participant)
    thread_id = new_thread(app, space, participant, title="Orari del nido")

    client.login(world.coordinator.email)
    base = f"/spazi/{space.slug}/discussioni/menzioni?q=anna"
    names = [p["name"] for p in client.get(f"{base}&discussione={thread_id}").get_json()]
    assert names == ["Anna Verdi", "Anna Bruni", "Anna Alberti"]
    # a thread not yet written: the space's members first
    names = [p["name"] for p in client.get(base).get_json()]
    assert names == ["Anna Bruni", "Anna Verdi", "Anna Alberti"]
    assert region  # listed last, though first in the alphabet
