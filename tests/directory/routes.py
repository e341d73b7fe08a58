"""How the directory routes answer each kind of person (merged into
tests/core/test_route_access.py).

GET_ROUTES / POST_ROUTES: endpoint -> class, as in that file. route_args() returns URL
arguments that exist (ids of rows it creates around the `world` fixture's reserved space),
merged with the core ones.
"""
from __future__ import annotations

LOGIN = "login"

GET_ROUTES: dict = {
    "directory.search": "signed_in",
    "directory.trainers": "signed_in",
    "directory.skills_map": "signed_in",
    # user_id is the member: nobody writes to themselves through the platform
    "directory.contact": (LOGIN, 200, 403, 200, 200),
    "directory.edit_details": "signed_in",
    "directory.learning": "signed_in",
    "directory.trainer_offer": "signed_in",
}
POST_ROUTES: dict = {
    "directory.endorse": "signed_in",
    "directory.withdraw_endorsement": "signed_in",
    "directory.remove_learning": "signed_in",
    "directory.withdraw_offer": "signed_in",
}


def route_args(app, world, factory) -> dict:
    from cop.auth.models import User
    from cop.directory import services
    from cop.extensions import db

    with app.app_context():
        member = db.session.get(User, world.member.id)
        services.update_details(member, visibility="tutti", topics="caregiver", languages="",
                                levels={"A1": 3})
        record = services.add_learning(member, title="Corso di facilitazione", kind="corso",
                                       provider="", year=2024)
        db.session.commit()
        return {"skill_code": "A1", "record_id": record.id}
