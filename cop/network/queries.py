"""Reads on ATS, Alleanze and organisations that several pages share."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cop.extensions import db
from cop.network.models import Alleanza, Ats, EntityType, Organisation, organisation_alleanze


def all_ats():
    return select(Ats).order_by(Ats.name)


def all_entity_types():
    return select(EntityType).order_by(EntityType.position)


def all_alleanze():
    return select(Alleanza).join(Alleanza.ats).order_by(Ats.name, Alleanza.number)


def organisations(search: str = "", ats_id: int | None = None, entity_type: str = "",
                  alleanza_id: int | None = None):
    query = select(Organisation).options(selectinload(Organisation.alleanze))
    if search:
        query = query.where(Organisation.name.icontains(search, autoescape=True))
    if ats_id:
        query = query.where(Organisation.ats_id == ats_id)
    if entity_type:
        query = query.where(Organisation.entity_type_code == entity_type)
    if alleanza_id:
        query = query.where(Organisation.id.in_(
            select(organisation_alleanze.c.organisation_id)
            .where(organisation_alleanze.c.alleanza_id == alleanza_id)))
    return query.order_by(Organisation.name, Organisation.id)


def organisation_choices() -> dict[str, list[tuple[int, str]]]:
    """Organisations grouped by ATS, for a select with optgroups."""
    groups: dict[str, list[tuple[int, str]]] = {}
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, Ats.name.label("ats_name"))
        .outerjoin(Ats, Ats.id == Organisation.ats_id)
        .order_by(Ats.name.is_(None), Ats.name, Organisation.name)
    )
    for row in rows:
        label = f"ATS {row.ats_name}" if row.ats_name else "Regione Lombardia"
        groups.setdefault(label, []).append((row.id, row.name))
    return groups


def alleanza_choices() -> list[tuple[int, str]]:
    return [(a.id, f"{a.name} (ATS {a.ats.name})") for a in db.session.scalars(all_alleanze())]


def count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


