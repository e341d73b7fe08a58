"""Demo good practices, written through the feature's services.

34 records of conciliation services across the 8 ATS and the 9 areas of intervention, in the
spaces of the Alleanze and of the ATS. Each goes through the real workflow (create, submit,
validate, publish, archive) by members of its space and the ATS coordinator, so versions,
reviews, counters and the search index are the ones the pages would write. Some records
deliberately overlap (same ATS, area and target in different Alleanze, sharing a municipality):
the library's "similar practices" and overlap views have something to find. A few published
records are adopted by other Alleanze. The records, the texts of the areas and the adoptions
are in data/practices.toml.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from cop.auth.models import User
from cop.demo.content import DEMO_EMAILS, load
from cop.extensions import db
from cop.network.models import Alleanza, Ats, Organisation, organisation_alleanze
from cop.practices import services
from cop.practices.models import Practice
from cop.reference.models import InterventionArea
from cop.spaces import services as space_services
from cop.spaces.models import Membership, Space, SpaceKind, SpaceRole

DEMO_CAPOFILA = DEMO_EMAILS["capofila"]


@dataclass(frozen=True)
class Area:
    """What practices of one area of intervention have in common (texts, results, partners)."""

    lead_types: tuple[str, ...]
    partner_types: tuple[str, ...]
    partner_roles: tuple[str, ...]
    activities: str
    difficulties: str
    lessons: str
    transferability: str
    indicators: tuple[tuple[str, str], ...]  # (name, unit); the first counts who was reached
    staff: str
    funding: str


@dataclass(frozen=True)
class Record:
    key: str
    ats: str  # ATS code
    alleanza: int | None  # its number; None: the ATS space
    area: str
    title: str  # {city}: the lead organisation's municipality
    summary: str
    need: str
    reached: int
    start: tuple[int, int]
    end: tuple[int, int] | None  # an end: the practice is over
    stage: str
    stage_owner: str  # how it was taken over (a_regime, istituzionalizzata), after the lead's name
    budget: int
    evidence: str
    status: str  # where the workflow leaves it
    visibility: str = "spazio"
    shared_city: str = ""  # the municipality an overlapping record also serves


PUB, DRAFT, SENT, VALID, ARCH = "pubblicata", "bozza", "inviata", "validata", "archiviata"

CONTENT = load("practices")  # data/practices.toml
AREAS = {code: Area(
    tuple(row["lead_types"]), tuple(row["partner_types"]), tuple(row["partner_roles"]),
    row["activities"], row["difficulties"], row["lessons"], row["transferability"],
    tuple((i["name"], i["unit"]) for i in row["indicators"]), row["staff"], row["funding"])
    for code, row in CONTENT["areas"].items()}
RECORDS = [Record(
    row["key"], row["ats"], row.get("alleanza"), row["area"], row["title"], row["summary"],
    row["need"], row["reached"], tuple(row["start"]), tuple(row["end"]) if "end" in row else None,
    row["stage"], row.get("stage_owner", ""), row["budget"], row["evidence"], row["status"],
    row.get("visibility", "spazio"), row.get("shared_city", "")) for row in CONTENT["records"]]
# (record key, adopting Alleanza: ATS code and number, kind, note)
ADOPTIONS = [(row["practice"], row["ats"], row["alleanza"], row["kind"], row["note"])
             for row in CONTENT["adoptions"]]

PARTNER_LIMIT = 3


def seed_practices(rng: random.Random) -> None:
    """Writes the demo records, through their workflow, and the adoptions."""
    world = _World()
    written = {}
    for record in RECORDS:
        written[record.key] = _write(record, world, rng)
    for key, ats_code, number, kind, note in ADOPTIONS:
        practice = written[key]
        alleanza = world.alleanza(ats_code, number)
        adopters = world.members(world.space_of(ats_code, number))
        services.adopt(practice, rng.choice(adopters), alleanza.id, kind, note)


class _World:
    """The demo network the records are written into, looked up once."""

    def __init__(self):
        self.ats = {a.code: a for a in db.session.scalars(select(Ats))}
        self.spaces = {(s.ats_id, s.alleanza_id): s for s in db.session.scalars(
            select(Space).where(Space.kind.in_([SpaceKind.ATS.value, SpaceKind.ALLEANZA.value])))}
        self.alleanze = {(a.ats_id, a.number): a for a in db.session.scalars(select(Alleanza))}
        self.capofila = db.session.scalar(select(User).where(User.email == DEMO_CAPOFILA))

    def alleanza(self, ats_code: str, number: int | None) -> Alleanza | None:
        return self.alleanze[(self.ats[ats_code].id, number)] if number else None

    def space_of(self, ats_code: str, number: int | None) -> Space:
        alleanza = self.alleanza(ats_code, number)
        return self.spaces[(self.ats[ats_code].id, alleanza.id if alleanza else None)]

    def members(self, space: Space, *roles: str) -> list[User]:
        query = select(User).join(Membership, Membership.user_id == User.id).where(
            Membership.space_id == space.id, User.active.is_(True)).order_by(User.id)
        if roles:
            query = query.where(Membership.role.in_(roles))
        return db.session.scalars(query).all()

    def organisations(self, ats_code: str, alleanza: Alleanza | None) -> list[Organisation]:
        query = select(Organisation).where(Organisation.ats_id == self.ats[ats_code].id)
        if alleanza is not None:
            query = query.join(organisation_alleanze,
                               organisation_alleanze.c.organisation_id == Organisation.id).where(
                organisation_alleanze.c.alleanza_id == alleanza.id)
        return db.session.scalars(query.order_by(Organisation.id)).all()

    def validator(self, ats_code: str) -> User:
        """The ATS space coordinator (the first one: Bergamo's demo referent is the second)."""
        return self.members(self.space_of(ats_code, None), SpaceRole.COORDINATOR.value)[0]


def _writer(record: Record, space: Space, world: _World, rng: random.Random) -> User:
    if record.ats == "BG" and record.alleanza == 1 and world.capofila is not None:
        return world.capofila  # the demo capofila finds her own record
    members = world.members(space)
    if not members:  # a space nobody joined: its ATS referent writes, as a member
        writer = world.validator(record.ats)
        space_services.add_member(space, writer)
        return writer
    writers = [m for m in members if m.id not in {v.id for v in world.members(
        space, SpaceRole.COORDINATOR.value)}] or members
    return rng.choice(writers)


def _lead_and_partners(record: Record, area: Area, world: _World, rng: random.Random):
    alleanza = world.alleanza(record.ats, record.alleanza)
    organisations = world.organisations(record.ats, alleanza)
    preferred = [o for o in organisations if o.entity_type_code in area.lead_types]
    if alleanza is not None and not preferred:
        preferred = [o for o in organisations if o.id == alleanza.lead_organisation_id]
    lead = rng.choice(preferred or organisations)
    others = [o for o in organisations if o.id != lead.id]
    fitting = [o for o in others if o.entity_type_code in area.partner_types] or others
    partners = rng.sample(fitting, k=min(len(fitting), rng.randint(1, PARTNER_LIMIT)))
    return lead, partners


def _municipalities(record: Record, lead: Organisation, partners: list[Organisation]) -> str:
    """Where the lead and the partners work, and the municipality an overlap shares."""
    chosen = {o.city for o in (lead, *partners) if o.city}
    if record.shared_city:
        chosen.add(record.shared_city)
    return "\n".join(sorted(chosen))


def _indicators(record: Record, area: Area, rng: random.Random) -> list[dict]:
    year = record.end[0] if record.end else 2024
    rows = [{"name": area.indicators[0][0], "value": Decimal(record.reached),
             "unit": area.indicators[0][1], "year": year}]
    for name, unit in area.indicators[1:rng.randint(1, len(area.indicators))]:
        value = rng.randint(55, 92) if unit == "%" else rng.randint(3, 40) * (
            10 if unit in ("ore", "persone") else 1)
        rows.append({"name": name, "value": Decimal(value), "unit": unit, "year": year})
    return rows


def _write(record: Record, world: _World, rng: random.Random) -> Practice:
    area = AREAS[record.area]
    target = db.session.get(InterventionArea, record.area).target
    space = world.space_of(record.ats, record.alleanza)
    writer = _writer(record, space, world, rng)
    lead, partners = _lead_and_partners(record, area, world, rng)
    contact = rng.choice([writer, *world.members(space)[:3]])
    fields = {
        "title": record.title.format(city=lead.city), "summary": record.summary,
        "need": record.need,
        "target": target, "reached_count": record.reached, "area_code": record.area,
        "municipalities": _municipalities(record, lead, partners),
        "lead_organisation_name": lead.name,
        "start_date": date(*record.start, 1),
        "end_date": date(*record.end, 30 if record.end[1] != 2 else 28) if record.end else None,
        "state": "conclusa" if record.end else "in_corso",
        "stage": record.stage,
        "stage_owner": f"{lead.name} ({record.stage_owner})" if record.stage_owner else "",
        "budget": Decimal(record.budget), "funding_source": area.funding, "staff": area.staff,
        "activities": area.activities, "evidence": record.evidence,
        "difficulties": area.difficulties, "lessons": area.lessons,
        "transferability": area.transferability, "contact_id": contact.id,
    }
    roles = [{"name": o.name, "role": area.partner_roles[i % len(area.partner_roles)]}
             for i, o in enumerate(partners)]
    practice = services.create_practice(space, writer, services.PracticeInput(
        fields, roles, _indicators(record, area, rng)))
    if record.status == DRAFT:
        return practice
    services.submit(practice, writer)
    if record.status == SENT:
        return practice
    validator = world.validator(record.ats)
    services.validate(practice, validator, CONTENT["validation_note"])
    if record.status == VALID:
        return practice
    services.publish(practice, validator, record.visibility)
    if record.status == ARCH:
        services.archive(practice, validator, CONTENT["archive_note"])
    return practice
