"""The demo's learning paths: published paths with every kind of module, a draft only its
coordinators see, the demo «membro» with a completed path in her learning record and one
halfway, training meetings on the regional page; counters that agree with the rows."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cop.demo.services import DEMO_PASSWORD
from cop.directory.models import LearningRecord
from cop.extensions import db
from cop.learning.models import LearningModule, LearningPath, PathCompletion

pytestmark = pytest.mark.demo  # seeded once per session (tests/conftest.py)


def test_the_demo_has_paths_progress_and_training_meetings(app, client, new_client):
    with app.app_context():
        paths = db.session.scalars(select(LearningPath)).all()
        assert len(paths) == 4 and sum(p.is_published for p in paths) == 3
        assert {m.kind for m in db.session.scalars(select(LearningModule))} == {
            "video", "dispensa", "lettura"}
        for path in paths:
            assert path.module_count == db.session.scalar(select(func.count()).where(
                LearningModule.path_id == path.id))
            assert path.completion_count == db.session.scalar(select(func.count()).where(
                PathCompletion.path_id == path.id))
        assert db.session.scalar(select(func.count(LearningRecord.id)).where(
            LearningRecord.provider.like("Percorso della piattaforma%"))) >= 1

    client.login("membro@cop.example", DEMO_PASSWORD)
    page = client.get("/formazione/").get_data(as_text=True)
    assert "Lavoro agile: le basi per le Alleanze" in page and "4 di 4 moduli" in page
    assert "Caregiver familiari: orientarsi tra i servizi" in page and "2 di 3 moduli" in page
    assert "Accogliere le famiglie allo sportello" not in page  # a reserved space of another ATS
    assert "Welfare di territorio" not in page
    assert "Formazione: misurare i risultati del lavoro agile" in page
    record = client.get("/profilo/formazione").get_data(as_text=True)
    assert "percorso completato sulla piattaforma" in record

    capofila = new_client()
    capofila.login("capofila@cop.example", DEMO_PASSWORD)
    page = capofila.get("/spazi/alleanza-bergamo-1/formazione").get_data(as_text=True)
    assert "Welfare di territorio (in preparazione)" in page and "Nuovo percorso" in page
