"""The demo's digest choices, and that the first `send-digests` after seeding gives the demo
sign-ins a digest with real content (only what they may see) and nobody else's choice broken."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cop.auth.models import User
from cop.digests.models import DigestSettings
from cop.extensions import db
from tests.digests.helpers import digests_to, run

pytestmark = pytest.mark.demo  # seeded once per session (tests/conftest.py)


def test_demo_choices_and_first_digests(app, smtp):
    with app.app_context():
        choice = dict(db.session.execute(
            select(User.email, DigestSettings.frequency)
            .join(DigestSettings, DigestSettings.user_id == User.id)).all())
        by_frequency = dict(db.session.execute(
            select(DigestSettings.frequency, func.count()).group_by(DigestSettings.frequency)
        ).all())
        people = {email: type("P", (), {"email": email}) for email in (
            "capofila@cop.example", "membro@cop.example", "facilitatore@cop.example")}
    assert choice["capofila@cop.example"] == "daily"
    assert choice["facilitatore@cop.example"] == "never"
    assert "admin@cop.example" not in choice  # the default: weekly
    assert by_frequency.get("daily", 0) > 1 and by_frequency.get("never", 0) > 1
    assert smtp.messages == []  # seeding sends nothing

    outcome = run(app)
    assert outcome.error is None and outcome.sent > 0
    [daily] = digests_to(smtp, people["capofila@cop.example"])
    assert "il riepilogo del giorno" in daily.subject
    [weekly] = digests_to(smtp, people["membro@cop.example"])
    assert "il riepilogo della settimana" in weekly.subject
    for digest in (daily, weekly):  # the demo's news of the last hours, and what is planned
        assert "Chi ha già provato il «bonus nonni» per le vacanze scolastiche?" in digest.body
        assert "1 nuova risposta in 1 discussione." in digest.body
    # the demo is seeded and read on a Wednesday (DEMO_DAY in tests/conftest.py): the same
    # meetings fall within the next 14 days on every run
    assert "I TUOI INCONTRI DEI PROSSIMI GIORNI (3)" in daily.body
    assert "LE TUE AZIONI APERTE (2)" in daily.body
    assert "I TUOI INCONTRI DEI PROSSIMI GIORNI (2)" in weekly.body
    assert "LE TUE AZIONI APERTE (4)" in weekly.body
    assert "Webinar: come scrivere un accordo di lavoro agile in una PMI" in daily.body
    assert "il volantino unico degli sportelli e le aperture serali" in weekly.body
    assert digests_to(smtp, people["facilitatore@cop.example"]) == []
