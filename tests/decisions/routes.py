"""How the decisions routes answer each kind of person (merged into
tests/core/test_route_access.py).

route_args() returns `poll_id`: an open proposal opened by the coordinator in a thread of the
`world` fixture's reserved space (so that a plain member may take part but not close it). The
thread and the meeting of the other routes come from the core fixture and from
tests/meetings/routes.py (an upcoming meeting of the reserved space, which the coordinator runs).
"""
from __future__ import annotations

from tests.decisions import helpers

GET_ROUTES: dict = {
    "decisions.show": "member",
    "decisions.new_in_thread": "member",
    "decisions.new_in_meeting": "coordinator",  # those who run the meeting
}
POST_ROUTES: dict = {
    "decisions.take_position": "member",
    "decisions.close": "coordinator",  # its author (here the coordinator) and the managers
    "decisions.write_outcome": "coordinator",
    "decisions.change_closing": "coordinator",
}


def route_args(app, world, factory) -> dict:
    thread_id = helpers.thread(app, world.reserved.id, world.coordinator.id,
                               title="Decidiamo il tema")
    return {"poll_id": helpers.decision(app, world.coordinator.id, thread_id=thread_id)}
