"""The demo gives the directory real profiles, trainers and a skills map with gaps."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from cop.demo.services import DEMO_PASSWORD
from cop.directory.models import Endorsement, PersonSkill, TrainerOffer
from cop.extensions import db
from tests.directory.helpers import main

pytestmark = pytest.mark.demo  # seeded once per session (tests/conftest.py)


def test_demo_directory(app, client):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonSkill)) > 300
        assert db.session.scalar(select(func.count()).select_from(TrainerOffer)) > 10
        assert db.session.scalar(select(func.count()).select_from(Endorsement)) > 50
        for endorsed in db.session.scalars(select(PersonSkill).where(
                PersonSkill.endorsement_count > 0)):
            assert endorsed.endorsement_count == db.session.scalar(
                select(func.count()).select_from(Endorsement).where(
                    Endorsement.user_id == endorsed.user_id,
                    Endorsement.skill_code == endorsed.skill_code))
    client.login("membro@cop.example", DEMO_PASSWORD)
    page = main(client.get("/rubrica/mappa"))
    gaps = int(re.search(r"(\d+) competenze che nessuno, in questa ATS", page).group(1))
    assert 5 <= gaps < 40
    assert "Facilitazione di gruppi e tavoli" in main(client.get("/rubrica/formatori")) or \
        "formatori" in page
    trainers = main(client.get("/rubrica/formatori"))
    assert re.search(r"\d+ formatori", trainers)
