"""Writes on organisations and Alleanze."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from cop.errors import ServiceError
from cop.extensions import db
from cop.network.models import Alleanza, Organisation
from cop.spaces.models import Space


def save_organisation(organisation: Organisation | None, *, name: str, entity_type_code: str,
                      ats_id: int | None, city: str, website: str,
                      alleanza_ids: list[int]) -> Organisation:
    """Creates or edits an organisation. Two organisations of one ATS never share a name:
    people are told apart by their organisation, so it must say which one it is."""
    in_ats = Organisation.ats_id == ats_id if ats_id else Organisation.ats_id.is_(None)
    same_name = select(Organisation.id).where(
        func.lower(Organisation.name) == name.strip().lower(), in_ats)
    if organisation is not None:
        same_name = same_name.where(Organisation.id != organisation.id)
    if db.session.scalar(same_name.limit(1)) is not None:
        raise ServiceError(_("Esiste già un'organizzazione con questo nome nella stessa ATS: "
                             "aggiungi al nome il comune o la sede."))
    alleanze = list(db.session.scalars(select(Alleanza).where(Alleanza.id.in_(alleanza_ids)))) \
        if alleanza_ids else []
    if organisation is None:
        organisation = Organisation(people_count=0, alleanze=alleanze)
        db.session.add(organisation)
    else:  # loaded with its alleanze by the caller
        organisation.alleanze = alleanze
    organisation.name = name.strip()
    organisation.entity_type_code = entity_type_code
    organisation.ats_id = ats_id or None
    organisation.city = city.strip()
    organisation.website = website.strip()
    db.session.flush()
    return organisation


def rename_alleanza(alleanza: Alleanza, name: str, lead_organisation_id: int | None) -> None:
    """Renames an Alleanza and its space, which carries the same name."""
    alleanza.name = name.strip()
    alleanza.lead_organisation_id = lead_organisation_id or None
    space = db.session.scalar(select(Space).where(Space.alleanza_id == alleanza.id))
    if space is not None:
        space.name = alleanza.name
