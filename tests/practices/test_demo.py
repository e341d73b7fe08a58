"""The demo library: records over every area and ATS, overlaps to find, every workflow status,
adoptions with consistent counters, and published records in the search index."""

from collections import Counter

import pytest
from sqlalchemy import func, select

from cop.demo.services import DEMO_PASSWORD
from cop.extensions import db
from cop.network.models import Ats
from cop.practices.models import Practice, PracticeAdoption, PracticeReview, PracticeVersion
from cop.reference.models import InterventionArea
from cop.search.models import SearchEntry
from cop.spaces.models import Space

pytestmark = pytest.mark.demo  # seeded once per session (tests/conftest.py)


def test_demo_practices_cover_the_region_with_overlaps_and_every_status(app):
    with app.app_context():
        practices = db.session.scalars(select(Practice)).all()
        assert len(practices) >= 30
        areas = {a.code: a.target for a in db.session.scalars(select(InterventionArea))}
        assert {p.area_code for p in practices} == set(areas)
        assert all(p.target == areas[p.area_code] for p in practices)
        assert {p.ats_id for p in practices} == set(db.session.scalars(select(Ats.id)))
        spaces = {s.id: s for s in db.session.scalars(select(Space))}
        assert all(spaces[p.space_id].kind in ("alleanza", "ats") for p in practices)

        statuses = Counter(p.status for p in practices)
        assert statuses["pubblicata"] >= 20 and statuses["bozza"] >= 3
        assert statuses["inviata"] >= 2 and statuses["validata"] >= 1
        assert statuses["archiviata"] >= 2
        published = [p for p in practices if p.status == "pubblicata"]
        assert {p.visibility for p in published} == {"spazio", "registrati", "pubblica"}
        sent = [p for p in practices if p.status == "inviata"]
        assert all(spaces[p.space_id].slug.startswith("alleanza-bergamo-") for p in sent)
        assert any(spaces[p.space_id].slug == "alleanza-bergamo-1" for p in published)
        assert any(spaces[p.space_id].slug.startswith("alleanza-milano-") for p in published)

        groups = Counter((p.ats_id, p.area_code, p.target) for p in published
                         if p.alleanza_id is not None)
        overlaps = [key for key, count in groups.items() if count >= 2]
        assert len(overlaps) >= 3

        for p in practices:  # every field the record form has is filled in
            assert p.summary and p.need and p.reached_count and p.municipality_list
            assert p.lead_organisation_id and p.start_date and p.budget and p.activities_html
            assert p.contact_id and p.stage and (p.stage == "sperimentazione" or p.stage_owner)
            versions = db.session.scalar(select(func.count()).select_from(PracticeVersion)
                                         .where(PracticeVersion.practice_id == p.id))
            assert p.version_count == versions >= 1
        reviews = Counter(db.session.scalars(select(PracticeReview.action)))
        assert reviews["pubblicata"] == statuses["pubblicata"] + statuses["archiviata"]

        adoptions = db.session.scalars(select(PracticeAdoption)).all()
        assert len(adoptions) >= 8 and all(a.note for a in adoptions)
        per_practice = Counter(a.practice_id for a in adoptions)
        assert all(p.adoption_count == per_practice[p.id] for p in practices)
        by_id = {p.id: p for p in practices}
        assert all(a.alleanza_id != by_id[a.practice_id].alleanza_id for a in adoptions)

        indexed = set(db.session.scalars(select(SearchEntry.doc_id).where(
            SearchEntry.doc_type == "practice")))
        assert {p.id for p in published} <= indexed


def test_demo_referent_finds_the_records_waiting_for_validation(app, client):
    with app.app_context():
        waiting = db.session.scalars(select(Practice.title).where(
            Practice.status == "inviata")).all()
    client.login("referente.bergamo@cop.example", DEMO_PASSWORD)
    page = client.get("/pratiche/?scheda=da_validare").get_data(as_text=True)
    assert waiting and all(title in page for title in waiting)
