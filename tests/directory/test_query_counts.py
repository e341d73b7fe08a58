"""The directory's pages run the same number of SQL statements whatever the data behind them."""
from __future__ import annotations

from cop.auth.models import User
from cop.directory import services
from cop.extensions import db
from cop.network.models import Organisation
from tests.directory.helpers import ats_id

CODES = ["A1", "A2", "C1", "C3", "E3", "F1", "H3", "H4"]


def _grow(app, world, start: int, n: int) -> None:
    """n more people with skills, endorsements, learning and trainer offers."""
    bg, mi = ats_id(app, "BG"), ats_id(app, "MI")
    with app.app_context():
        member = db.session.get(User, world.member.id)
        for i in range(start, start + n):
            organisation = Organisation(name=f"Ente {i}", entity_type_code="no_profit",
                                        ats_id=bg if i % 2 else mi, people_count=0)
            db.session.add(organisation)
            db.session.flush()
            person = User(email=f"rubrica.{i}@esempio.it", name=f"Persona {i}",
                          handle=f"rubrica.{i}", organisation_id=organisation.id,
                          bio="Mi occupo di caregiver.", bio_html="<p>Mi occupo di caregiver.</p>")
            db.session.add(person)
            db.session.flush()
            services.update_details(person, visibility="spazi" if i % 5 == 0 else "tutti",
                                    topics="caregiver, sportelli", languages="inglese",
                                    levels={code: 1 + (i + k) % 4 for k, code in enumerate(CODES)})
            services.set_trainer_offer(person, topics="caregiver", in_person=True, online=True,
                                       availability="", ats_ids=[bg, mi])
            services.endorse(person, member.id, "C1", f"nota {i}")
            services.add_learning(member, title=f"Corso {i}", kind="corso", provider="", year=2020)
        db.session.commit()


PAGES = [
    "/persone/{member_id}",
    "/persone/{outsider_id}",
    "/rubrica/",
    "/rubrica/?competenza=C1&competenza=F1&livello=2&q=caregiver",
    "/rubrica/?ats={bg}&formatore=y",
    "/rubrica/formatori",
    "/rubrica/formatori?q=caregiver&ats={bg}",
    "/rubrica/mappa",
]


def _measure(app, world, count_queries, client) -> dict[str, int]:
    counts = {}
    for pattern in PAGES:
        url = pattern.format(member_id=world.member.id, outsider_id=world.outsider.id,
                             bg=ats_id(app, "BG"))
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(statements)
    return counts


def test_directory_pages_run_a_constant_number_of_statements(app, world, count_queries,
                                                             new_client):
    from tests.directory.helpers import profile

    profile(app, world.member, levels={"C1": 3})
    client = new_client()
    client.login(world.outsider.email)
    _grow(app, world, 0, 4)
    small = _measure(app, world, count_queries, client)
    _grow(app, world, 4, 40)
    large = _measure(app, world, count_queries, client)
    assert large == small
    assert max(small.values()) <= 12, small
    print(small)
