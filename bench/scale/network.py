"""Organisations, people, thematic spaces and memberships, with their counters."""
from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import func, select, update

from bench.scale import words
from bench.scale.services import EMAIL_DOMAIN, Person, ScaleContext, SpaceInfo
from cop.auth.models import SiteRole, User
from cop.demo import names
from cop.extensions import db
from cop.network.models import Alleanza, Ats, Organisation, organisation_alleanze
from cop.reference.services import REGION_ORGANISATION, read_csv
from cop.spaces.models import Membership, Space, SpaceKind, SpaceRole, Visibility
from cop.text import slugify, unique_name

CONTENT_DAYS = 730  # the discussions span the last two years; people joined just before
# How many people an organisation of each type brings, relative to the others.
PEOPLE_WEIGHT = {"ente_pubblico": 3.0, "ambito": 4.0, "istruzione": 1.5, "sindacato": 1.5,
                 "datoriale": 1.5, "no_profit": 2.5, "grande_impresa": 2.0,
                 "media_impresa": 1.0, "piccola_impresa": 0.7, "micro_impresa": 0.5}
PUBLIC_NAMES = ["Comune di {city}", "Unione dei Comuni di {city} e dintorni",
                "Consultorio familiare di {city}", "Azienda Servizi alla Persona di {city}",
                "ASST di {city}", "Biblioteca civica di {city}"]


def largest_remainder(targets: list[float], total: int) -> list[int]:
    """Whole numbers in the proportions of `targets` that add up to `total`."""
    scale = total / sum(targets) if sum(targets) else 0
    exact = [t * scale for t in targets]
    whole = [math.floor(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (whole[i] - exact[i], i))
    for i in order[:total - sum(whole)]:
        whole[i] += 1
    return whole


def _organisation_name(rng, code: str, kind: str, index: int) -> str:
    cities = names.CITIES[code]
    city = cities[index % len(cities)]
    province = rng.choice(names.PROVINCES[code])
    if kind == "ente_pubblico":
        return PUBLIC_NAMES[(index // len(cities)) % len(PUBLIC_NAMES)].format(city=city)
    if kind == "ambito":
        return rng.choice([f"Ambito territoriale di {city}", f"Ufficio di Piano di {city}",
                           f"Azienda speciale consortile {city} Servizi alla Persona"])
    if kind == "istruzione":
        school = rng.choice(names.SCHOOL_NAMES)
        return rng.choice([f"Istituto Comprensivo \"{school}\" di {city}",
                           f"Centro di Formazione Professionale di {city}",
                           f"Istituto di Istruzione Superiore \"{school}\" di {city}"])
    if kind == "sindacato":
        return f"{rng.choice(names.UNIONS)} {province}"
    if kind == "datoriale":
        return f"{rng.choice(names.EMPLOYERS)} {province}"
    if kind == "no_profit":
        return (f"{rng.choice(names.NONPROFIT_FORMS)} {rng.choice(names.NONPROFIT_WORDS)} "
                f"- {city}")
    return f"{rng.choice(names.SURNAMES)} {rng.choice(names.SECTORS)} {names.COMPANY_FORMS[kind]}"


def seed_organisations(ctx: ScaleContext, factor: float) -> None:
    """567·f organisations, per ATS and type in the proportions of the study (Figure 6.2);
    each in one Alleanza of its ATS, one in six in two; every Alleanza gets a capofila."""
    rng = ctx.rng
    ats_by_code = {a.code: a for a in db.session.scalars(select(Ats))}
    alleanze = {a.id: list(db.session.scalars(
        select(Alleanza).where(Alleanza.ats_id == a.id).order_by(Alleanza.number)))
        for a in ats_by_code.values()}
    cells = [(row["ats"], kind, int(count)) for row in read_csv("alleanze_composizione.csv")
             for kind, count in row.items() if kind != "ats"]
    quotas = largest_remainder([c for _, _, c in cells], ctx.scaled(sum(c for *_, c in cells)))
    used = set(db.session.scalars(select(Organisation.name)))
    planned = [(code, kind, i) for (code, kind, _), quota in zip(cells, quotas)
               for i in range(quota)]
    ids = ctx.new_ids(Organisation.__table__, len(planned))
    created = ctx.now - timedelta(days=CONTENT_DAYS + 60)
    rows, links, per_ats = [], [], {}
    organisations = []
    for org_id, (code, kind, i) in zip(ids, planned):
        ats = ats_by_code[code]
        cities = names.CITIES[code]
        rows.append({"id": org_id,
                     "name": unique_name(_organisation_name(rng, code, kind, i), used),
                     "entity_type_code": kind, "ats_id": ats.id, "city": cities[i % len(cities)],
                     "website": "", "people_count": 0, "created_at": created})
        own = alleanze[ats.id]
        position = per_ats.get(code, 0)
        per_ats[code] = position + 1
        chosen = [own[position % len(own)]] if own else []
        if len(own) > 1 and rng.random() < 1 / 6:
            chosen.append(own[(position + 1) % len(own)])
        links += [{"organisation_id": org_id, "alleanza_id": a.id} for a in chosen]
        organisations.append({"id": org_id, "kind": kind, "ats_id": ats.id,
                              "alleanze": [a.id for a in chosen]})
    ctx.insert(Organisation, rows)
    ctx.insert(organisation_alleanze, links)
    for own in alleanze.values():
        for alleanza in own:
            members = [o for o in organisations if alleanza.id in o["alleanze"]]
            leads = [o for o in members if o["kind"] in ("ambito", "ente_pubblico")] or members
            if alleanza.lead_organisation_id is None and leads:
                db.session.execute(update(Alleanza).where(Alleanza.id == alleanza.id)
                                   .values(lead_organisation_id=leads[0]["id"]))
    lead_of = dict(db.session.execute(select(Alleanza.id, Alleanza.lead_organisation_id)).all())
    ctx.extra["organisations"] = organisations
    ctx.extra["alleanza_leads"] = lead_of


def _handle(name: str, used: set[str], next_suffix: dict[str, int]) -> str:
    """As auth.services.unique_handle: "marco.bonetti", "marco.bonetti2" ..."""
    base = slugify(name, max_length=50).replace("-", ".")
    handle, n = base, next_suffix.get(base, 2)
    while handle in used:
        handle, n = f"{base}{n}", n + 1
    next_suffix[base] = n
    used.add(handle)
    return handle


def seed_people(ctx: ScaleContext, factor: float) -> None:
    """1,500·f people, each in one organisation (at least one per organisation), one
    password hash for all; the Region's staff: an admin and two curators."""
    rng = ctx.rng
    organisations = ctx.extra["organisations"]
    region = db.session.scalar(select(Organisation.id).where(
        Organisation.name == REGION_ORGANISATION))
    total = ctx.scaled(1500)
    owners = organisations[:total]
    extra = total - len(owners)
    if extra > 0:
        owners += rng.choices(organisations, weights=[PEOPLE_WEIGHT[o["kind"]]
                                                      for o in organisations], k=extra)
    owners.sort(key=lambda o: o["id"])
    staff = [("admin", "Funzionaria regionale, comunità di pratica", SiteRole.ADMIN.value),
             ("curator", "Curatrice regionale delle buone pratiche", SiteRole.CURATOR.value),
             ("curator", "Curatore regionale dei contenuti", SiteRole.CURATOR.value)]
    used_handles = set(db.session.scalars(select(User.handle)))
    suffixes: dict[str, int] = {}
    start = ctx.now - timedelta(days=CONTENT_DAYS + 30)
    writer = ctx.extra["writer"]
    ids = ctx.new_ids(User.__table__, len(staff) + len(owners))
    rows = []
    for user_id, owner in zip(ids, [None] * len(staff) + owners):
        name = f"{rng.choice(names.FIRST_NAMES)} {rng.choice(names.SURNAMES)}"
        handle = _handle(name, used_handles, suffixes)
        if owner is None:
            _, job_title, role = staff[len(rows)]
            organisation_id, ats_id = region, None
        else:
            job_title = rng.choice(names.JOB_TITLES[owner["kind"]])
            role, organisation_id, ats_id = SiteRole.MEMBER.value, owner["id"], owner["ats_id"]
        created = start + timedelta(seconds=rng.randrange(30 * 86400))
        bio = writer.sentence(rng.choice(words.BIOS)) if rng.random() < 0.15 else ""
        rows.append({
            "id": user_id, "email": f"{handle}@{EMAIL_DOMAIN}", "name": name, "handle": handle,
            "password_hash": ctx.password_hash, "organisation_id": organisation_id,
            "job_title": job_title, "bio": bio, "bio_html": writer.rendered(bio),
            "locale": "en" if rng.random() < 0.03 else "it", "site_role": role, "active": True,
            "created_at": created, "password_changed_at": created,
            "last_login_at": ctx.now - timedelta(seconds=rng.randrange(90 * 86400)),
        })
        ctx.people.append(Person(user_id, rows[-1]["email"], handle, organisation_id, ats_id,
                                 role))
    ctx.insert(User, rows)
    ctx.extra["joined"] = {r["id"]: r["created_at"] for r in rows}


def _thematic_spaces(ctx: ScaleContext) -> list[SpaceInfo]:
    rng, writer = ctx.rng, ctx.extra["writer"]
    count = ctx.scaled(10, minimum=2)
    slugs = set(db.session.scalars(select(Space.slug)))
    names_used = set(db.session.scalars(select(Space.name)))
    ids = ctx.new_ids(Space.__table__, count)
    rows, spaces = [], []
    for n, space_id in enumerate(ids):
        topic = words.THEMATIC_TOPICS[n % len(words.THEMATIC_TOPICS)]
        suffix = words.THEMATIC_SUFFIXES[(n // len(words.THEMATIC_TOPICS))
                                         % len(words.THEMATIC_SUFFIXES)]
        name = unique_name(f"{topic} {suffix}".strip(), names_used)
        slug = unique_name(slugify(name), slugs)
        visibility = Visibility.RESERVED.value if n % 5 == 4 else Visibility.REGIONAL.value
        description = " ".join(writer.pool[rng.randrange(len(writer.pool))][0]
                               for _ in range(2))
        rows.append({"id": space_id, "slug": slug, "name": name, "description": description,
                     "description_html": writer.rendered(description),
                     "kind": SpaceKind.THEMATIC.value, "visibility": visibility,
                     "ats_id": None, "alleanza_id": None, "member_count": 0,
                     "pending_request_count": 0,
                     "created_at": ctx.now - timedelta(days=CONTENT_DAYS + 30)})
        spaces.append(SpaceInfo(space_id, slug, SpaceKind.THEMATIC.value, visibility, None,
                                None))
    ctx.insert(Space, rows)
    return spaces


def seed_memberships(ctx: ScaleContext, factor: float) -> None:
    """ATS spaces: a referent (coordinator), a facilitator, the Alleanze's leads and a quarter
    of the ATS's people; Alleanza spaces: a lead from the capofila and most people of its
    organisations; 10·f thematic spaces (one in five reserved) led by the Region's staff."""
    rng = ctx.rng
    existing = db.session.execute(select(Space.id, Space.slug, Space.kind, Space.visibility,
                                         Space.ats_id, Space.alleanza_id)
                                  .order_by(Space.id)).all()
    ctx.spaces = [SpaceInfo(*row) for row in existing] + _thematic_spaces(ctx)
    organisations = {o["id"]: o for o in ctx.extra["organisations"]}
    people_of: dict[int, list[Person]] = {}
    for person in ctx.people:
        people_of.setdefault(person.organisation_id, []).append(person)
    staff = [p for p in ctx.people if p.site_role != SiteRole.MEMBER.value]
    ats_space = {s.ats_id: s for s in ctx.spaces if s.kind == SpaceKind.ATS.value}
    leads = ctx.extra["alleanza_leads"]

    for space in ctx.spaces:
        if space.kind == SpaceKind.ALLEANZA.value:
            lead_people = people_of.get(leads.get(space.alleanza_id), [])
            if lead_people:
                space.members[lead_people[0].id] = SpaceRole.COORDINATOR.value
                ats_space[space.ats_id].members.setdefault(lead_people[0].id,
                                                           SpaceRole.MEMBER.value)
    for space in ats_space.values():
        local = [p for p in ctx.people if p.ats_id == space.ats_id]
        public = [p for p in local
                  if organisations[p.organisation_id]["kind"] in ("ente_pubblico", "ambito")]
        for person, role in zip(public[:2] or local[:2],
                                (SpaceRole.COORDINATOR.value, SpaceRole.FACILITATOR.value)):
            space.members = {person.id: role, **space.members}
        for person in local:
            if rng.random() < 0.25:
                space.members.setdefault(person.id, SpaceRole.MEMBER.value)
    for space in ctx.spaces:
        if space.kind != SpaceKind.ALLEANZA.value:
            continue
        for person in ctx.people:
            alleanze = organisations[person.organisation_id]["alleanze"] \
                if person.organisation_id in organisations else []
            if space.alleanza_id in alleanze:
                chance = 0.7 if alleanze[0] == space.alleanza_id else 0.35
                if rng.random() < chance:
                    role = SpaceRole.FACILITATOR.value if rng.random() < 0.1 \
                        else SpaceRole.MEMBER.value
                    space.members.setdefault(person.id, role)
    members_only = [p for p in ctx.people if p.site_role == SiteRole.MEMBER.value]
    for n, space in enumerate(s for s in ctx.spaces if s.kind == SpaceKind.THEMATIC.value):
        if staff:
            space.members[staff[n % len(staff)].id] = SpaceRole.COORDINATOR.value
        # 30 to 180 people each at factor 1 and above: more people, more spaces, not bigger ones
        size = min(len(members_only), max(5, round(1500 * min(factor, 1)
                                                   * rng.uniform(0.02, 0.12))))
        for k, person in enumerate(rng.sample(members_only, size)):
            space.members.setdefault(person.id, SpaceRole.FACILITATOR.value if k == 0
                                     else SpaceRole.MEMBER.value)
    _benchmark_member(ctx)

    joined = ctx.extra["joined"]
    rows = []
    for space in ctx.spaces:
        for user_id, role in space.members.items():
            rows.append({"space_id": space.id, "user_id": user_id, "role": role,
                         "created_at": joined[user_id] + timedelta(
                             seconds=rng.randrange(7 * 86400))})
    for membership_id, row in zip(ctx.new_ids(Membership.__table__, len(rows)), rows):
        row["id"] = membership_id
    ctx.insert(Membership, rows)
    update_counters()


def _benchmark_member(ctx: ScaleContext) -> None:
    """A plain member (no coordinator or facilitator role anywhere) of the busiest ATS space,
    of an Alleanza space and of a regional thematic space: the benchmark signs in as them."""
    busy = max((s for s in ctx.spaces if s.kind == SpaceKind.ATS.value),
               key=lambda s: (len(s.members), -s.id))
    roles: dict[int, set[str]] = {}
    for space in ctx.spaces:
        for user_id, role in space.members.items():
            roles.setdefault(user_id, set()).add(role)
    alleanza_members = {u for s in ctx.spaces if s.kind == SpaceKind.ALLEANZA.value
                        for u in s.members}
    plain = [p for p in ctx.people if p.site_role == SiteRole.MEMBER.value
             and roles.get(p.id, {SpaceRole.MEMBER.value}) == {SpaceRole.MEMBER.value}]
    member = next((p for p in plain if p.id in busy.members and p.id in alleanza_members),
                  None) or next(p for p in plain)
    busy.members.setdefault(member.id, SpaceRole.MEMBER.value)
    if member.id not in alleanza_members:
        alleanza = next(s for s in ctx.spaces if s.kind == SpaceKind.ALLEANZA.value)
        alleanza.members.setdefault(member.id, SpaceRole.MEMBER.value)
    thematic = next(s for s in ctx.spaces if s.kind == SpaceKind.THEMATIC.value and s.regional)
    thematic.members.setdefault(member.id, SpaceRole.MEMBER.value)
    ctx.extra["busy_space"] = busy
    ctx.facts["member_email"] = member.email
    ctx.facts["member_id"] = member.id
    ctx.facts["admin_email"] = next(p.email for p in ctx.people
                                    if p.site_role == SiteRole.ADMIN.value)


def update_counters() -> None:
    """spaces.member_count and organisations.people_count from the rows."""
    db.session.execute(update(Space).values(member_count=select(func.count()).where(
        Membership.space_id == Space.id).scalar_subquery()).execution_options(
        synchronize_session=False))
    db.session.execute(update(Organisation).values(people_count=select(func.count()).where(
        User.organisation_id == Organisation.id).scalar_subquery()).execution_options(
        synchronize_session=False))


SEEDERS = [("organizzazioni", seed_organisations), ("persone", seed_people),
           ("spazi e iscrizioni", seed_memberships)]
