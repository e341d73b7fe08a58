"""Demo profiles, skills and trainers, written through the feature's services.

Each ATS has strong and weak skill groups, so that the skills map shows real gaps: in an ATS,
the skills of its weak groups are held only at level 1 or 2 (or not at all), and the map points
to people elsewhere in the region who hold them at level 3 or 4. The texts and lists are in
data/directory.toml.
"""
from __future__ import annotations

import random

from sqlalchemy import select

from cop.auth.models import User
from cop.demo.content import ACCOUNTS, load
from cop.directory import services
from cop.errors import ServiceError
from cop.extensions import db
from cop.network.models import Ats, Organisation
from cop.reference.models import Skill

CONTENT = load("directory")  # strengths, topics, languages, courses, notes, demo levels
STRENGTHS: dict[str, str] = CONTENT["strengths"]  # ATS code -> its strong skill groups
DEMO_LEVELS: dict[str, dict[str, int]] = CONTENT["levels"]  # the demo accounts' profiles


def seed_directory(rng: random.Random) -> None:
    skills = db.session.scalars(select(Skill).order_by(Skill.code)).all()
    ats_codes = {row.id: row.code for row in db.session.execute(select(Ats.id, Ats.code))}
    all_ats = list(ats_codes)
    people = db.session.scalars(select(User).join(Organisation).order_by(User.id)).all()
    demo = {a.email for a in ACCOUNTS}
    profiled = []
    for person in people:
        if person.email in DEMO_LEVELS:
            levels = dict(DEMO_LEVELS[person.email])
        elif person.email in demo or rng.random() < 0.25:
            continue  # some people have not filled in their directory profile yet
        else:
            levels = _levels(rng, skills, STRENGTHS.get(ats_codes.get(person.organisation.ats_id),
                                                        ""))
        services.update_details(
            person, visibility="spazi" if rng.random() < 0.15 else "tutti",
            topics=", ".join(rng.sample(CONTENT["topics"], k=rng.randint(1, 4))),
            languages=rng.choice(CONTENT["languages"]), levels=levels)
        for _ in range(rng.randint(0, 2)):
            course = rng.choice(CONTENT["courses"])
            services.add_learning(person, title=course["title"],
                                  kind=rng.choice(["corso", "laboratorio"]),
                                  provider=course["provider"], year=rng.randint(2018, 2025))
        teaching = [code for code, level in levels.items() if level == 4]
        if teaching and (rng.random() < 0.5 or person.email in DEMO_LEVELS):
            labels = [s.label_it.lower() for s in skills if s.code in teaching]
            home = person.organisation.ats_id
            services.set_trainer_offer(
                person, topics=", ".join(labels[:3]), in_person=True, online=rng.random() < 0.6,
                availability=rng.choice(CONTENT["availability"]),
                ats_ids=sorted({home, *rng.sample(all_ats, k=rng.randint(0, 2))} - {None}))
        profiled.append((person, levels))
    _endorse(rng, profiled)


def _levels(rng: random.Random, skills: list[Skill], strong: str) -> dict[str, int]:
    levels = {}
    for skill in rng.sample(skills, k=rng.randint(3, 7)):
        if skill.group_code in strong:
            levels[skill.code] = rng.choice([2, 3, 3, 4])
        elif rng.random() < 0.5:
            levels[skill.code] = rng.choice([1, 2])
    return levels


def _endorse(rng: random.Random, profiled: list[tuple[User, dict[str, int]]]) -> None:
    by_ats: dict[int | None, list[tuple[User, dict[str, int]]]] = {}
    for person, levels in profiled:
        by_ats.setdefault(person.organisation.ats_id, []).append((person, levels))
    for colleagues in by_ats.values():
        for person, levels in colleagues:
            strong = [code for code, level in levels.items() if level >= 3]
            for code in strong[:2]:
                for endorser, _ in rng.sample(colleagues, k=min(len(colleagues), 2)):
                    if endorser.id == person.id:
                        continue
                    try:
                        services.endorse(endorser, person.id, code,
                                         rng.choice(CONTENT["endorsement_notes"]))
                    except ServiceError:  # the person shows details only to their spaces
                        continue
