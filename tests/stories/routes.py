"""How the stories routes answer each kind of person (merged into tests/core/test_route_access.py).

GET_ROUTES / POST_ROUTES: endpoint -> class, as in that file; route_args() returns URL arguments
that exist: a story told by the member in the `world` fixture's reserved space.
"""
from __future__ import annotations

from cop.auth.models import User
from cop.extensions import db
from cop.spaces.models import Space
from cop.stories import services

LOGIN = "login"

GET_ROUTES: dict = {
    "stories.space_stories": "member",
    "stories.new": "member",
    "stories.show": "member",
    "stories.edit": "member",  # its author (the member) and the space's managers
}
POST_ROUTES: dict = {
    "stories.delete": "member",
}


def route_args(app, world, factory) -> dict:
    with app.app_context():
        story = services.tell_story(
            db.session.get(Space, world.reserved.id), db.session.get(User, world.member.id),
            services.StoryInput(cycle="applicato", title="Lo sportello ora apre il sabato",
                                body="Abbiamo cambiato gli orari."))
        db.session.commit()
        return {"story_id": story.id}
