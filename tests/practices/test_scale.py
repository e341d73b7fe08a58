"""The library and a record's page run the same statements however many records, versions,
partners, indicators and adoptions exist."""
from __future__ import annotations

from cop.auth.models import User
from cop.extensions import db
from cop.practices import services
from cop.practices.models import Practice
from tests.practices.helpers import Practices

PAGES = ["/pratiche/", "/pratiche/?q=caregiver&area=caregiver_familiare",
         "/pratiche/?destinatari=persone&ordine=adozioni", "/pratiche/{id}",
         "/pratiche/{id}/versioni", "/pratiche/sovrapposizioni", "/spazi/{slug}/",
         "/spazi/{slug}/pratiche/", "/pratiche/esporta.json"]


def _grow(app, world, n: int, partners: int, first: int | None = None) -> int:
    """n more records; `first` (or the first new one) gets `partners` more partners,
    indicators and versions."""
    p = Practices(app)
    for i in range(n):
        pid = p.make(world.reserved.slug, world.member.id, visibility="registrati",
                     title=f"Sportello caregiver numero {i}", partners=partners,
                     indicators=partners, municipalities=f"Albino\nComune {i}")
        first = first or pid
    with app.app_context():
        practice = db.session.get(Practice, first)
        member = db.session.get(User, world.member.id)
        for n in range(partners):  # more versions, partners and indicators
            services.save(practice, member, services.PracticeInput(
                {"summary": practice.summary + " ancora"},
                [{"name": f"Partner {k}", "role": ""} for k in range(n + 2)],
                [{"name": f"Indicatore {k}", "value": k, "unit": "", "year": None}
                 for k in range(n + 2)]))
        db.session.commit()
    return first


def _measure(client, count_queries, url_args) -> dict[str, int]:
    counts = {}
    for pattern in PAGES:
        url = pattern.format(**url_args)
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(statements)
    return counts


def test_library_pages_run_a_constant_number_of_statements(client, world, app, count_queries):
    first = _grow(app, world, 3, partners=1)
    client.login(world.member.email)
    args = {"id": first, "slug": world.reserved.slug}
    small = _measure(client, count_queries, args)
    _grow(app, world, 25, partners=6, first=first)
    large = _measure(client, count_queries, args)
    assert large == small
    assert max(small.values()) <= 16, small
