"""A page runs the same number of SQL statements whatever the amount of data behind it."""
from __future__ import annotations

from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.network.models import Alleanza, Organisation
from cop.spaces import services as space_services
from cop.spaces.models import Space


def _grow(app, world, start: int, n: int) -> None:
    """n more organisations (in Alleanze), people in the spaces, join requests and spaces."""
    with app.app_context():
        reserved = db.session.get(Space, world.reserved.id)
        regional = db.session.get(Space, world.regional.id)
        alleanze = db.session.scalars(select(Alleanza)).all()
        for i in range(start, start + n):
            organisation = Organisation(name=f"Ente in più {i}", entity_type_code="no_profit",
                                        ats_id=reserved.ats_id, people_count=0)
            organisation.alleanze = [alleanze[i % len(alleanze)], alleanze[(i + 1) % len(alleanze)]]
            db.session.add(organisation)
            db.session.flush()
            person = User(email=f"in.piu.{i}@esempio.it", name=f"Persona in più {i}",
                          handle=f"in.piu.{i}",
                          organisation_id=organisation.id)
            db.session.add(person)
            db.session.flush()
            space_services.add_member(reserved, person, "facilitatore" if i % 3 else "membro")
            space_services.request_to_join(regional, person, "Vorrei partecipare")
            thematic = space_services.create_space(name=f"Tema {i}", kind="tematico",
                                                   visibility="regionale")
            space_services.add_member(thematic, db.session.get(User, world.member.id))
            space_services.add_member(thematic, person, "coordinatore")
        db.session.commit()


PAGES = [
    ("member", "/"),
    ("member", "/spazi/"),
    ("member", "/spazi/miei"),
    ("member", "/spazi/{reserved}/"),
    ("member", "/spazi/{reserved}/membri"),
    ("referent", "/spazi/ats-bergamo/"),
    ("coordinator", "/spazi/{regional}/richieste"),
    ("member", "/organizzazioni/"),
    ("member", "/persone/{member_id}"),
    ("admin", "/admin/"),
    ("admin", "/admin/persone"),
    ("admin", "/admin/organizzazioni"),
    ("admin", "/admin/alleanze"),
    ("admin", "/admin/spazi"),
    ("admin", "/admin/inviti"),
]


def _measure(app, world, count_queries, new_client) -> dict[str, int]:
    clients = {}
    counts = {}
    for actor, pattern in PAGES:
        if actor not in clients:
            clients[actor] = new_client()
            clients[actor].login(getattr(world, actor).email)
        url = pattern.format(reserved=world.reserved.slug, regional=world.regional.slug,
                             member_id=world.member.id)
        with count_queries() as statements:
            response = clients[actor].get(url)
        assert response.status_code == 200, url
        counts[f"{actor} {url}"] = len(statements)
    return counts


def test_pages_run_a_constant_number_of_statements(app, world, count_queries, new_client):
    _grow(app, world, 0, 5)
    small = _measure(app, world, count_queries, new_client)
    _grow(app, world, 5, 45)
    large = _measure(app, world, count_queries, new_client)
    assert large == small
    # the space home has a panel per feature (discussions, library, meetings): 13 at most
    assert max(small.values()) <= 13, small
