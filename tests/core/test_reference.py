"""The reference data shipped with the project agrees with the study's published totals."""
from sqlalchemy import func, select

from cop.extensions import db
from cop.network.models import Alleanza, Ats, Organisation
from cop.reference.models import InterventionArea, Skill, SkillGroup
from cop.reference.services import read_csv


def test_table_6_1_adds_up_to_the_published_totals():
    rows = read_csv("ats.csv")
    assert len(rows) == 8
    assert sum(int(r["alleanze"]) for r in rows) == 40
    assert sum(int(r["azioni"]) for r in rows) == 290
    assert sum(int(r["azioni_persone"]) for r in rows) == 135
    assert sum(int(r["azioni_imprese"]) for r in rows) == 155
    for row in rows:  # each ATS's actions are those for persons plus those for enterprises
        assert int(row["azioni"]) == int(row["azioni_persone"]) + int(row["azioni_imprese"]), row


def test_figure_6_2_counts_567_organisations_from_29_to_130():
    rows = read_csv("alleanze_composizione.csv")
    totals = {r.pop("ats"): sum(int(v) for v in r.values()) for r in rows}
    assert sum(totals.values()) == 567
    assert min(totals.values()) == totals["MON"] == 29
    assert max(totals.values()) == totals["BG"] == 130


def test_loading_reference_data_twice_adds_nothing_and_keeps_renamed_alleanze(app, factory):
    with app.app_context():
        alleanza = db.session.scalar(select(Alleanza).order_by(Alleanza.id))
        alleanza.name = "Alleanza Valli Bergamasche"
        db.session.commit()
        from cop.reference.services import load_reference

        report = load_reference()
        db.session.commit()
        assert report.added == {}
        assert db.session.get(Alleanza, alleanza.id).name == "Alleanza Valli Bergamasche"
        assert db.session.scalar(select(func.count()).select_from(Ats)) == 8
        assert db.session.scalar(select(func.count()).select_from(Alleanza)) == 40
        assert db.session.scalar(select(func.count()).select_from(InterventionArea)) == 9
        assert db.session.scalar(select(func.count()).select_from(SkillGroup)) == 8
        assert db.session.scalar(select(func.count()).select_from(Skill)) == 40
        names = db.session.scalars(select(Alleanza.name).join(Ats).where(Ats.code == "PV")).all()
        assert sorted(names)[:2] == ["Alleanza Pavia 1", "Alleanza Pavia 2"]


def test_demo_content_matches_the_published_composition_and_is_idempotent(app, smtp):
    from cop.demo.services import ACCOUNTS, seed_demo

    with app.app_context():
        assert seed_demo() is True
        db.session.commit()
        assert seed_demo() is False
        per_ats_type = dict(
            ((code, kind), n) for code, kind, n in db.session.execute(
                select(Ats.code, Organisation.entity_type_code, func.count())
                .join(Ats, Ats.id == Organisation.ats_id)
                .group_by(Ats.code, Organisation.entity_type_code)))
        for row in read_csv("alleanze_composizione.csv"):
            code = row.pop("ats")
            for kind, count in row.items():
                assert per_ats_type.get((code, kind), 0) == int(count), (code, kind)
        # every Alleanza has a lead organisation that belongs to it
        for alleanza in db.session.scalars(select(Alleanza)):
            assert alleanza.lead_organisation_id is not None
        from cop.auth.models import User

        emails = set(db.session.scalars(select(User.email)))
        assert {a.email for a in ACCOUNTS} <= emails
    assert smtp.messages == [], "demo content must not email anybody"
