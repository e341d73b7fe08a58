"""Loads the reference data shipped in cop/reference/data/ (copied from the study's tables).

Idempotent: rows that exist are left as they are (an admin may have renamed an Alleanza),
missing ones are added. Creates the space of every ATS and every Alleanza.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib import resources

from sqlalchemy import select

from cop.extensions import db
from cop.network.models import Alleanza, Ats, EntityType, Organisation
from cop.reference.models import InterventionArea, Skill, SkillGroup
from cop.spaces import services as space_services
from cop.spaces.models import Space, SpaceKind, Visibility
from cop.text import slugify

REGION_ORGANISATION = ("Regione Lombardia - DG Famiglia, Solidarietà sociale, Disabilità "
                       "e Pari opportunità")


def read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("cop.reference").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@dataclass
class LoadReport:
    added: dict[str, int] = field(default_factory=dict)

    def count(self, what: str) -> None:
        self.added[what] = self.added.get(what, 0) + 1


def _merge(model, key: dict, values: dict, report: LoadReport, what: str):
    row = db.session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key, **values)
        db.session.add(row)
        report.count(what)
    return row


def alleanza_default_name(ats: Ats, number: int) -> str:
    return f"Alleanza {ats.name} {number}"


def load_reference() -> LoadReport:
    report = LoadReport()
    for position, row in enumerate(read_csv("entity_types.csv")):
        _merge(EntityType, {"code": row["code"]},
               {"label_it": row["label_it"], "label_en": row["label_en"], "position": position},
               report, "tipi di ente")
    for position, row in enumerate(read_csv("intervention_areas.csv")):
        _merge(InterventionArea, {"code": row["code"]},
               {"target": row["target"], "label_it": row["label_it"], "label_en": row["label_en"],
                "position": position}, report, "aree di intervento")
    for row in read_csv("skills.csv"):
        _merge(SkillGroup, {"code": row["group"]},
               {"label_it": row["group_label_it"], "label_en": row["group_label_en"]},
               report, "gruppi di competenze")
        db.session.flush()
        _merge(Skill, {"code": row["code"]},
               {"group_code": row["group"], "label_it": row["label_it"],
                "label_en": row["label_en"], "kind": row["kind"]}, report, "competenze")
    db.session.flush()

    for row in read_csv("ats.csv"):
        ats = _merge(Ats, {"code": row["code"]}, {"name": row["name"]}, report, "ATS")
        ats.actions_total = int(row["azioni"])
        ats.actions_people = int(row["azioni_persone"])
        ats.actions_companies = int(row["azioni_imprese"])
        db.session.flush()
        _ensure_space(ats_id=ats.id, kind=SpaceKind.ATS, name=ats.full_name,
                      slug=f"ats-{_slug(ats.name)}", visibility=Visibility.REGIONAL,
                      description=_ats_description(ats), report=report)
        for number in range(1, int(row["alleanze"]) + 1):
            alleanza = _merge(Alleanza, {"ats_id": ats.id, "number": number},
                              {"name": alleanza_default_name(ats, number)}, report, "Alleanze")
            db.session.flush()
            _ensure_space(ats_id=ats.id, alleanza_id=alleanza.id, kind=SpaceKind.ALLEANZA,
                          name=alleanza.name, slug=f"alleanza-{_slug(ats.name)}-{number}",
                          visibility=Visibility.RESERVED,
                          description=(f"Spazio di benchlearning dell'{alleanza.name}, Alleanza "
                                       f"locale di conciliazione della rete di {ats.full_name}."),
                          report=report)
    _merge(Organisation, {"name": REGION_ORGANISATION},
           {"entity_type_code": "ente_pubblico", "ats_id": None, "city": "Milano",
            "people_count": 0}, report, "organizzazioni")
    db.session.flush()
    return report


def _slug(name: str) -> str:
    return slugify(name)


def _ats_description(ats: Ats) -> str:
    return (f"Spazio della Rete Territoriale di Conciliazione guidata da {ats.full_name}: "
            f"referenti ATS, Alleanze locali e operatori di rete si confrontano su pratiche, "
            f"bandi e servizi del territorio.")


def _ensure_space(*, kind: SpaceKind, name: str, slug: str, visibility: Visibility,
                  description: str, report: LoadReport, ats_id: int | None = None,
                  alleanza_id: int | None = None) -> Space:
    query = select(Space).where(Space.kind == kind.value)
    query = query.where(Space.alleanza_id == alleanza_id) if alleanza_id else \
        query.where(Space.ats_id == ats_id)
    space = db.session.scalar(query)
    if space is None:
        space = space_services.create_space(
            name=name, kind=kind.value, visibility=visibility.value, description=description,
            ats_id=ats_id, alleanza_id=alleanza_id, slug=slug)
        report.count("spazi")
    return space
