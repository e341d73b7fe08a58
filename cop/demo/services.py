"""Demo content: the region's organisations (as many of each type per ATS as the study
publishes, Figure 6.2), people, memberships, thematic spaces, requests and invitations.

Deterministic (a fixed random seed) and idempotent: nothing happens if the demo admin exists.
The texts are in cop/demo/data/ (accounts.toml, network.toml, names.toml), read by
cop.demo.content; the feature modules seed the rest, each with its own random stream.
"""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, select

from cop import mail
from cop.auth import services as auth_services
from cop.auth.models import SiteRole, User
from cop.auth.passwords import hash_password
from cop.dashboard.metrics import Scope, contributions
from cop.database import utcnow
from cop.demo import names
from cop.demo.content import ACCOUNTS, DEMO_PASSWORD, DemoAccount, load
from cop.demo.digests import seed_digests
from cop.demo.directory import seed_directory
from cop.demo.discussions import seed_discussions
from cop.demo.learning import seed_learning
from cop.demo.meetings import seed_meetings
from cop.demo.onboarding import seed_onboarding
from cop.demo.practices import seed_practices
from cop.demo.stories import seed_stories
from cop.extensions import db
from cop.network.models import Alleanza, Ats, Organisation
from cop.practices.models import Practice, PracticeAdoption, PracticeReview, PracticeVersion
from cop.reference.services import REGION_ORGANISATION, load_reference, read_csv
from cop.spaces import services as space_services
from cop.spaces.models import Membership, Space, SpaceKind, SpaceRole
from cop.text import distinct_name, slugify, unique_name

SEED = 2023
NETWORK = load("network")  # thematic spaces, job titles, requests, the invitation
__all__ = ["ACCOUNTS", "DEMO_PASSWORD", "DemoAccount", "print_demo_accounts", "seed_demo"]


def print_demo_accounts(echo) -> None:
    emails = [a.email for a in ACCOUNTS]
    present = set(db.session.scalars(select(User.email).where(User.email.in_(emails))))
    if not present:
        return
    echo("")
    echo("Piattaforma: http://127.0.0.1:5000")
    echo(f"Accessi dimostrativi (password per tutti: {DEMO_PASSWORD})")
    for account in ACCOUNTS:
        if account.email in present:
            echo(f"  {account.email:<34} {account.name}: {account.description}")
    echo("")


def seed_demo() -> bool:
    if db.session.scalar(select(User.id).where(User.email == ACCOUNTS[0].email)):
        return False
    load_reference()
    rng = random.Random(SEED)
    password_hash = hash_password(DEMO_PASSWORD)
    ats_by_code = {a.code: a for a in db.session.scalars(select(Ats))}
    organisations = _organisations(rng, ats_by_code)
    people = _people(rng, ats_by_code, organisations, password_hash)
    _demo_accounts(ats_by_code, organisations, password_hash, people)
    db.session.flush()
    seed_discussions(rng)
    db.session.flush()
    for seed in (seed_directory, seed_practices, seed_meetings, seed_learning, seed_stories,
                 seed_onboarding, seed_digests):
        seed(random.Random(f"{SEED}-{seed.__name__}"))  # each feature's own stream
        db.session.flush()
    _backdate_practices(random.Random(f"{SEED}-practices-dates"))
    _backdate_memberships(random.Random(f"{SEED}-memberships"))
    mail.discard_queued(db.session)  # demo people get no email
    return True


def _backdate_practices(rng: random.Random) -> None:
    """The library grew over the months before the demo: each record, with its versions,
    reviews and adoptions, moves back by its own number of days (their order kept), so that
    digests and dashboards do not see thirty records written today."""
    offsets = {}
    for practice in db.session.scalars(select(Practice).order_by(Practice.id)):
        offset = timedelta(days=rng.randint(20, 240), hours=rng.randint(0, 23))
        offsets[practice.id] = offset
        for name in ("created_at", "updated_at", "submitted_at", "published_at"):
            if getattr(practice, name) is not None:
                setattr(practice, name, getattr(practice, name) - offset)
    for model in (PracticeVersion, PracticeReview, PracticeAdoption):
        for row in db.session.scalars(select(model)):
            row.created_at -= offsets.get(row.practice_id, timedelta())
    db.session.flush()


def _backdate_memberships(rng: random.Random) -> None:
    """People joined their spaces over the last months, each before their first contribution
    there, so that the dashboards' cohorts and levels look like a living network."""
    every = contributions(Scope())
    first = {(row.user_id, row.space_id): row.first for row in db.session.execute(
        select(every.c.user_id, every.c.space_id, func.min(every.c.at).label("first"))
        .group_by(every.c.user_id, every.c.space_id))}
    now = utcnow()
    for membership in db.session.scalars(select(Membership).order_by(Membership.id)):
        joined = now - timedelta(days=rng.randint(15, 270), hours=rng.randint(0, 23))
        before = first.get((membership.user_id, membership.space_id))
        if before is not None:
            joined = min(joined, before - timedelta(days=rng.randint(1, 14)))
        membership.created_at = joined
    db.session.flush()


def _organisation_name(rng: random.Random, code: str, kind: str, index: int) -> str:
    cities = names.CITIES[code]
    city = cities[index % len(cities)]
    province = names.PROVINCES[code][index % len(names.PROVINCES[code])]
    if kind == "ente_pubblico":
        return (f"Comune di {city}" if index < len(cities)
                else f"Unione dei Comuni di {city} e dintorni")
    if kind == "ambito":
        return rng.choice([f"Ambito territoriale di {city}",
                           f"Ufficio di Piano dell'Ambito di {city}",
                           f"Azienda speciale consortile {city} Servizi alla Persona"])
    if kind == "istruzione":
        return rng.choice([f"Istituto Comprensivo \"{rng.choice(names.SCHOOL_NAMES)}\" di {city}",
                           f"Centro di Formazione Professionale di {city}",
                           f"Istituto di Istruzione Superiore "
                           f"\"{rng.choice(names.SCHOOL_NAMES)}\" di {city}"])
    if kind == "sindacato":
        return f"{rng.choice(names.UNIONS)} {province}"
    if kind == "datoriale":
        return f"{rng.choice(names.EMPLOYERS)} {province}"
    if kind == "no_profit":
        return f"{rng.choice(names.NONPROFIT_FORMS)} {rng.choice(names.NONPROFIT_WORDS)} - {city}"
    return f"{rng.choice(names.SURNAMES)} {rng.choice(names.SECTORS)} {names.COMPANY_FORMS[kind]}"


def _organisations(rng: random.Random,
                   ats_by_code: dict[str, Ats]) -> dict[str, list[Organisation]]:
    """As many organisations of each type per ATS as Figure 6.2 publishes (567 in all)."""
    used = set(db.session.scalars(select(Organisation.name)))
    by_ats: dict[str, list[Organisation]] = {}
    for row in read_csv("alleanze_composizione.csv"):
        code = row.pop("ats")
        ats = ats_by_code[code]
        alleanze = db.session.scalars(
            select(Alleanza).where(Alleanza.ats_id == ats.id).order_by(Alleanza.number)).all()
        created = []
        for kind, count in row.items():
            for i in range(int(count)):
                cities = names.CITIES[code]
                organisation = Organisation(
                    name=distinct_name(_organisation_name(rng, code, kind, i), used, cities),
                    entity_type_code=kind,
                    ats_id=ats.id, city=cities[i % len(cities)], people_count=0)
                # Every organisation belongs to one Alleanza of its ATS; one in six to two.
                first = alleanze[len(created) % len(alleanze)]
                organisation.alleanze = [first]
                if len(alleanze) > 1 and rng.random() < 1 / 6:
                    organisation.alleanze.append(alleanze[(len(created) + 1) % len(alleanze)])
                db.session.add(organisation)
                created.append(organisation)
        db.session.flush()
        for alleanza in alleanze:  # the capofila: a district or a public body of the Alleanza
            leads = [o for o in created if alleanza in o.alleanze
                     and o.entity_type_code in ("ambito", "ente_pubblico")]
            alleanza.lead_organisation_id = (leads or created)[0].id
        by_ats[code] = created
    return by_ats


def _person_name(rng: random.Random, used: set[str]) -> str:
    """A name nobody else has: a namesake gets a second first name, never a number."""
    first, surname = rng.choice(names.FIRST_NAMES), rng.choice(names.SURNAMES)
    seconds = [f"{second} " for second in names.FIRST_NAMES if second != first]
    return distinct_name(f"{first} {surname}", used, seconds, between=f"{first} ", after=surname)


def _email(name: str, used: set[str]) -> str:
    base = slugify(name).replace("-", ".")
    return unique_name(f"{base}@esempio.it", used).replace(" (", ".").replace(")", "")


def _new_person(rng, organisation: Organisation, password_hash: str, used_names, used_emails,
                name: str | None = None, email: str | None = None, **extra) -> User:
    name = name or _person_name(rng, used_names)
    user = auth_services.create_user(
        email=email or _email(name, used_emails), name=name, organisation=organisation,
        job_title=extra.pop("job_title",
                            rng.choice(names.JOB_TITLES[organisation.entity_type_code])),
        **extra)
    user.password_hash = password_hash
    return user


def _people(rng, ats_by_code, organisations, password_hash) -> list[User]:
    used_names: set[str] = {a.name for a in ACCOUNTS}
    used_emails: set[str] = {a.email for a in ACCOUNTS}
    people = []
    titles = NETWORK["job_titles"]
    spaces = {(s.kind, s.ats_id, s.alleanza_id): s for s in db.session.scalars(select(Space))}
    for code, ats in ats_by_code.items():
        orgs = organisations[code]
        ats_space = spaces[(SpaceKind.ATS.value, ats.id, None)]
        public = [o for o in orgs if o.entity_type_code in ("ente_pubblico", "ambito")]
        referent = _new_person(rng, public[0], password_hash, used_names, used_emails,
                               job_title=titles["ats_referent"].format(ats=ats.name))
        space_services.add_member(ats_space, referent, SpaceRole.COORDINATOR.value)
        operator = _new_person(rng, public[-1], password_hash, used_names, used_emails,
                               job_title=titles["ats_operator"])
        space_services.add_member(ats_space, operator, SpaceRole.FACILITATOR.value)
        people += [referent, operator]
        alleanze = db.session.scalars(select(Alleanza).where(Alleanza.ats_id == ats.id)).all()
        for alleanza in alleanze:
            space = spaces[(SpaceKind.ALLEANZA.value, ats.id, alleanza.id)]
            members = [o for o in orgs if alleanza in o.alleanze]
            lead_org = next(o for o in members if o.id == alleanza.lead_organisation_id)
            lead = _new_person(rng, lead_org, password_hash, used_names, used_emails,
                               job_title=titles["alleanza_lead"])
            space_services.add_member(space, lead, SpaceRole.COORDINATOR.value)
            space_services.add_member(ats_space, lead, SpaceRole.MEMBER.value)
            people.append(lead)
            for organisation in rng.sample(members, k=min(len(members), rng.randint(3, 7))):
                person = _new_person(rng, organisation, password_hash, used_names, used_emails)
                role = (SpaceRole.FACILITATOR.value if rng.random() < 0.15
                        else SpaceRole.MEMBER.value)
                space_services.add_member(space, person, role)
                if rng.random() < 0.3:
                    space_services.add_member(ats_space, person, SpaceRole.MEMBER.value)
                people.append(person)
    return people


def _demo_accounts(ats_by_code, organisations, password_hash, people) -> None:
    region = db.session.scalar(select(Organisation).where(Organisation.name == REGION_ORGANISATION))
    admin_account, referent_account, lead_account, facilitator_account, member_account = ACCOUNTS
    rng = random.Random(SEED + 1)

    def make(account: DemoAccount, organisation: Organisation, **extra) -> User:
        user = auth_services.create_user(email=account.email, name=account.name,
                                         organisation=organisation, job_title=account.job_title,
                                         bio=account.bio, **extra)
        user.password_hash = password_hash
        return user

    space = {(s.kind, s.ats_id, s.alleanza_id): s for s in db.session.scalars(select(Space))}
    bergamo, milano = ats_by_code["BG"], ats_by_code["MI"]
    alleanza_bg1 = db.session.scalar(
        select(Alleanza).where(Alleanza.ats_id == bergamo.id, Alleanza.number == 1))
    alleanza_mi2 = db.session.scalar(
        select(Alleanza).where(Alleanza.ats_id == milano.id, Alleanza.number == 2))

    admin = make(admin_account, region, site_role=SiteRole.ADMIN.value)
    curator = DemoAccount(key="curator", description="", **load("accounts")["curator"])
    make(curator, region, site_role=SiteRole.CURATOR.value)  # signs in, not listed

    bg_public = [o for o in organisations["BG"] if o.entity_type_code == "ente_pubblico"]
    referent = make(referent_account, bg_public[0])
    space_services.add_member(space[("ats", bergamo.id, None)], referent,
                              SpaceRole.COORDINATOR.value)

    lead_org = db.session.get(Organisation, alleanza_bg1.lead_organisation_id)
    lead = make(lead_account, lead_org)
    space_services.add_member(space[("alleanza", bergamo.id, alleanza_bg1.id)], lead,
                              SpaceRole.COORDINATOR.value)
    space_services.add_member(space[("ats", bergamo.id, None)], lead, SpaceRole.MEMBER.value)

    mi_nonprofit = [o for o in organisations["MI"] if o.entity_type_code == "no_profit"]
    facilitator = make(facilitator_account, mi_nonprofit[0])
    space_services.add_member(space[("ats", milano.id, None)], facilitator,
                              SpaceRole.FACILITATOR.value)

    mi2_orgs = [o for o in organisations["MI"] if alleanza_mi2 in o.alleanze]
    member = make(member_account, mi2_orgs[-1])
    space_services.add_member(space[("alleanza", milano.id, alleanza_mi2.id)], member)

    thematic = []
    for row in NETWORK["thematic_spaces"]:
        created = space_services.create_space(name=row["name"], kind=SpaceKind.THEMATIC.value,
                                              visibility=row["visibility"],
                                              description=row["description"])
        space_services.add_member(created, admin, SpaceRole.COORDINATOR.value)
        for person in rng.sample(people, k=14):
            space_services.add_member(created, person)
        thematic.append(created)
    smart_working, caregivers, _pmi = thematic
    space_services.add_member(smart_working, facilitator, SpaceRole.FACILITATOR.value)
    space_services.add_member(caregivers, lead)

    # Something to act on: requests waiting for the Bergamo referent and the admin.
    requests = NETWORK["requests"]
    for person in rng.sample([p for p in people if p.organisation.ats_id != bergamo.id], k=3):
        space_services.request_to_join(space[("ats", bergamo.id, None)], person,
                                       requests["ats_bergamo"])
    space_services.request_to_join(caregivers, member, requests["caregivers"])
    invitation = NETWORK["invitation"]
    auth_services.invite(inviter=referent, email=invitation["email"], name=invitation["name"],
                         organisation=bg_public[1], space=space[("ats", bergamo.id, None)],
                         space_role=SpaceRole.MEMBER.value, message=invitation["message"])
