"""Demo content of the learning feature, written through cop.learning.services.

Three published paths (the regional Smart working space, Alleanza Bergamo 1, Alleanza Milano 2)
with video lessons, a handout, readings; a draft in Alleanza Bergamo 1 that only its
coordinators see; progress of some members, among them the demo «membro», who has completed
the Smart working path (so it is in her learning record) and is halfway through her
Alleanza's; and two training meetings in the next weeks for the regional page. The texts are
in data/learning.toml.
"""
from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from cop.auth.models import User
from cop.database import utcnow
from cop.demo.content import load
from cop.extensions import db
from cop.learning import services
from cop.learning.services import ModuleInput
from cop.spaces.models import Membership, Space, SpaceRole

CONTENT = load("learning")  # paths with their modules, progress, training meetings
HANDOUT = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
           b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _coordinator(space: Space) -> User | None:
    return db.session.scalar(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.space_id == space.id, Membership.role == SpaceRole.COORDINATOR.value)
        .order_by(Membership.id))


def _members(space: Space) -> list[User]:
    return list(db.session.scalars(select(User).join(Membership, Membership.user_id == User.id)
                                   .where(Membership.space_id == space.id,
                                          Membership.role == SpaceRole.MEMBER.value,
                                          User.email.not_like("%@cop.example"))
                                   .order_by(Membership.id)))


def _handout(name: str) -> FileStorage:
    return FileStorage(BytesIO(HANDOUT), name, content_type="application/pdf")


def seed_learning(rng) -> None:
    """Deterministic with `rng`; called once by cop.demo.services.seed_demo after meetings."""
    spaces = {s.slug: s for s in db.session.scalars(select(Space))}
    made = {}
    for row in CONTENT["paths"]:
        space = spaces.get(row["space"])
        if space is None:
            continue
        author = _user(row["author"]) if "author" in row else _coordinator(space)
        title = row["title"]
        path = services.create_path(space, author, title, row["summary"])
        for module in row["modules"]:
            data = ModuleInput(**module)
            uploads = [_handout(f"{data.title.lower().replace(' ', '-')[:40]}.pdf")] \
                if data.kind == "dispensa" else []
            services.add_module(path, author, data, uploads)
        if row["published"]:
            services.publish_path(path)
        made[title] = (path, space)
    db.session.flush()

    def take(user, title, how_many=None):
        path, _space = made[title]
        from cop.learning.queries import modules

        for module in modules(path.id)[:how_many]:
            services.mark_done(module, user)

    for row in CONTENT["progress"]:
        person = _user(row["email"])
        if person is not None and row["path"] in made:
            take(person, row["path"], row.get("modules"))
    for title in CONTENT["members_progress"]:
        if title not in made:
            continue
        path, space = made[title]
        people = _members(space) or _members(spaces.get("alleanza-bergamo-1", space))
        for person in people[:12]:
            take(person, title, rng.randint(0, path.module_count))
    _training_meetings(spaces)


def _training_meetings(spaces) -> None:
    from cop.meetings import services as meetings
    from cop.meetings.times import local, to_utc

    today = local(utcnow()).date()
    common = CONTENT["training"]
    agenda = [meetings.AgendaRow(row["title"], "", row["minutes"]) for row in common["agenda"]]
    for plan in CONTENT["trainings"]:
        space = spaces.get(plan["space"])
        if space is None:
            continue
        planner = _user(plan["planner"]) if "planner" in plan else _coordinator(space)
        day = today + timedelta(days=plan["days"])
        meetings.plan_meeting(space, planner, meetings.MeetingInput(
            title=plan["title"], kind="formazione", mode=plan["mode"],
            starts_at=to_utc(day, common["start"]), ends_at=to_utc(day, common["end"]),
            place=plan.get("place", ""), online_url=plan.get("online_url", ""),
            description=common["description"], agenda=list(agenda)))
