"""The demo's dashboards: people joined their spaces over months, before they first took part,
so the lead of Alleanza Bergamo 1 reads cohorts, levels and stories that make sense."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from cop.auth.models import User
from cop.dashboard.metrics import Scope, cohorts, contributions
from cop.database import utcnow
from cop.demo.services import DEMO_PASSWORD
from cop.extensions import db
from cop.network.models import Organisation
from cop.spaces.models import Membership

pytestmark = pytest.mark.demo  # seeded once per session (tests/conftest.py)


def test_demo_dashboard_has_history(app, client):
    with app.app_context():
        every = contributions(Scope())
        first = select(every.c.user_id, every.c.space_id, func.min(every.c.at).label("at")) \
            .group_by(every.c.user_id, every.c.space_id).subquery()
        late = db.session.scalar(select(func.count()).select_from(Membership).join(
            first, (first.c.user_id == Membership.user_id)
            & (first.c.space_id == Membership.space_id)).where(Membership.created_at > first.c.at))
        months = db.session.scalar(select(func.count(func.distinct(
            func.strftime("%Y-%m", Membership.created_at) if db.engine.dialect.name == "sqlite"
            else func.to_char(Membership.created_at, "YYYY-MM")))))
    assert late == 0  # nobody took part before joining
    assert months >= 6
    client.login("capofila@cop.example", DEMO_PASSWORD)
    html = client.get("/spazi/alleanza-bergamo-1/cruscotto").get_data(as_text=True)
    cohorts = html[html.index('class="table table-sm cop-cohorts"'):]
    joined = [int(n) for n in
              re.findall(r'</th><td>(\d+)</td>', cohorts[:cohorts.index("</table>")])]
    assert sum(1 for n in joined if n) >= 2  # people joined in more than one month
    assert "Le ultime storie" in html


def test_demo_names_and_regional_cohorts(app):
    """Namesakes are told apart by their organisation, never "(2)"; organisations of one ATS
    have different names; the region's cohorts come from when people joined their spaces."""
    with app.app_context():
        numbered = re.compile(r"\(\d+\)$")
        people = db.session.scalars(select(User.name)).all()
        assert not [n for n in people if numbered.search(n)]
        organisations = db.session.execute(select(Organisation.name, Organisation.ats_id)).all()
        assert not [n for n, _ in organisations if numbered.search(n)]
        assert len(set(organisations)) == len(organisations)
        regional = [c.joined for c in cohorts(Scope(), utcnow())]
    assert sum(1 for n in regional if n) >= 3, regional  # not everybody in the seeding month
