"""The directory at scale: skills for everyone (3 to 7 of the taxonomy, mostly at level 1 or
2), profile details for everyone (topics for seven people in ten, languages, the folded
`search_words` the directory's free text looks in), endorsements by colleagues, learning
records for half the people, and trainers (one person in 25, those who can train others
first) with their territories. Same shapes as cop/directory/services.py leaves, written in
bulk, the stored counters computed from the rows written.

Each ATS is weak in two skill groups (nobody there above level 2), so the skills map shows
gaps and who elsewhere could fill them, as in the demo. Some skills are much more common than
others: `facts["directory_skill"]` is the one most people hold at level 2 or more,
`facts["directory_word"]` the topic word most profiles contain.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate

from sqlalchemy import select

from bench.scale import words
from bench.scale.services import Person, ScaleContext
from cop.auth.models import User
from cop.directory.models import (
    DetailsVisibility,
    Endorsement,
    LearningKind,
    LearningRecord,
    PersonSkill,
    ProfileDetails,
    TrainerOffer,
    trainer_territories,
)
from cop.directory.queries import search_words
from cop.directory.services import parse_topics
from cop.extensions import db
from cop.reference.models import Skill
from cop.search.text import STOP_WORDS, plain_text

TOPICS_SHARE = 0.7  # everyone has a details row (saving skills makes one); these tell topics
RESTRICTED_SHARE = 0.15  # details shown only to people who share a space
LEARNING_SHARE = 0.5
TRAINER_SHARE = 0.04
WEAK_GROUPS = 2  # per ATS: skill groups held there at level 1 or 2 only
LEVELS = {1: 44, 2: 33, 3: 16, 4: 7}
ENDORSED = {1: 0.12, 2: 0.22, 3: 0.35, 4: 0.5}  # chance that a skill at this level is endorsed
SAME_ATS = 0.8  # endorsers mostly work in the same ATS

# In order of popularity: the first ones are in many profiles.
TOPICS = list(dict.fromkeys([
    "caregiver familiari", "smart working", "welfare aziendale", "conciliazione vita-lavoro",
    "centri estivi", "pre e post scuola", *words.TAGS[:12], "nidi aziendali", "reti di vicinato",
    "sportelli famiglia", "co-progettazione", "valutazione d'impatto", "bandi regionali",
    "comunità di pratica", "servizi salva-tempo", "banca delle ore", "congedi parentali",
    "pari opportunità", "terzo settore", "lavoro a turni"]))
LANGUAGES = {"italiano": 35, "italiano, inglese": 40, "italiano, inglese, francese": 8,
             "italiano, francese": 6, "italiano, spagnolo": 4, "italiano, inglese, spagnolo": 4,
             "italiano, arabo": 2, "italiano, tedesco": 1}
COURSES = ["Facilitare comunità di pratica", "Welfare aziendale per le PMI",
           "Valutare l'impatto sociale", "Co-progettazione con il Terzo settore",
           "Laboratorio di progettazione partecipata", "Smart working: accordi e strumenti",
           "Rendicontare i progetti finanziati", "Progettare sui bandi regionali",
           "Il caregiver familiare: diritti e servizi", "Conciliazione vita-lavoro nei contratti",
           "Comunicare i servizi alle famiglie", "Gestire reti pubblico-private",
           "Project management per il sociale", "Dati e indicatori per la programmazione",
           "La contrattazione di secondo livello", "Pari opportunità e prospettiva di genere",
           "Fundraising per enti del Terzo settore", "Strumenti digitali per lavorare in rete",
           "Formazione formatori: docenza tra pari", "Il nuovo Codice del Terzo settore"]
PROVIDERS = ["PoliS-Lombardia", "Regione Lombardia", "ANCI Lombardia", "Fondazione Cariplo",
             "Università degli Studi di Milano", "Università di Bergamo",
             "Università Cattolica del Sacro Cuore", "Politecnico di Milano", "CSV Lombardia",
             "Confcooperative Lombardia", "ATS del territorio", "Ufficio di Piano", ""]
KINDS = {LearningKind.COURSE.value: 50, LearningKind.WORKSHOP.value: 25,
         LearningKind.CONFERENCE.value: 20, LearningKind.OTHER.value: 5}
MODES = {(True, False): 40, (True, True): 40, (False, True): 20}  # (in person, online)
AVAILABILITY = ["Due mezze giornate al mese.", "Su richiesta, con un mese di preavviso.",
                "Il venerdì pomeriggio.", "Da settembre a giugno, in orario di lavoro.",
                "Una giornata al trimestre, anche fuori provincia.", "La sera, dopo le 18.", ""]
NOTES = ["Abbiamo lavorato insieme al tavolo di conciliazione.",
         "Ha guidato il laboratorio del nostro ambito: ottimo lavoro.",
         "Mi ha aiutato a scrivere il progetto per il bando.",
         "Preziosa nel coordinare la rete dell'Alleanza.", "Lo consiglio a tutti."]


@dataclass
class Profile:
    person: Person
    joined: datetime
    updated_at: datetime
    levels: dict[str, int] = field(default_factory=dict)  # skill code -> level, in pick order
    details: dict | None = None
    offer: dict | None = None


def _weighted(rng, choices: dict):
    return rng.choices(list(choices), list(choices.values()))[0]


def _between(rng, start: datetime, end: datetime) -> datetime:
    if end <= start:
        return end
    return (start + (end - start) * rng.random()).replace(microsecond=0)


def _pick_distinct(rng, items: list, cum_weights: list[float], n: int) -> list:
    """`n` distinct items, drawn by weight."""
    chosen: dict = {}
    while len(chosen) < n:
        for item in rng.choices(items, cum_weights=cum_weights, k=n):
            chosen.setdefault(item, None)
            if len(chosen) == n:
                break
    return list(chosen)


def _skill_levels(ctx: ScaleContext, profiles: list[Profile], skills: list) -> None:
    """3 to 7 skills each, some far more common than others; capped at 2 in the ATS's weak
    groups."""
    rng = ctx.rng
    codes = [s.code for s in skills]
    rng.shuffle(codes)  # popularity order
    cum = list(accumulate(1 / (1 + rank / 4) for rank in range(len(codes))))
    group_of = {s.code: s.group_code for s in skills}
    groups = sorted(set(group_of.values()))
    weak = {ats_id: set(rng.sample(groups, WEAK_GROUPS))
            for ats_id in sorted({p.person.ats_id for p in profiles} - {None})}
    levels, level_weights = list(LEVELS), list(LEVELS.values())
    for profile in profiles:
        weak_here = weak.get(profile.person.ats_id, set())
        for code in _pick_distinct(rng, codes, cum, rng.randint(3, 7)):
            level = rng.choices(levels, level_weights)[0]
            profile.levels[code] = min(level, 2) if group_of[code] in weak_here else level


def _trainers(ctx: ScaleContext, profiles: list[Profile]) -> list[Profile]:
    """One person in 25: those who can train others (level 4) first, then the advanced."""
    rng = ctx.rng
    wanted = max(1, round(len(profiles) * TRAINER_SHARE))
    chosen: list[Profile] = []
    for best in (4, 3, 2, 1):
        pool = [p for p in profiles if max(p.levels.values()) == best]
        chosen += rng.sample(pool, min(len(pool), wanted - len(chosen)))
    return sorted(chosen, key=lambda p: p.person.id)


def _offer(ctx: ScaleContext, profile: Profile, labels: dict[str, str], ats_ids: list[int],
           topics: list[str]) -> tuple[dict, list[dict]]:
    rng = ctx.rng
    top = max(profile.levels.values())
    teaching = [labels[code].lower() for code, level in profile.levels.items()
                if level == top][:3]
    if rng.random() < 0.5:
        teaching.append(rng.choice(topics))
    in_person, online = _weighted(rng, MODES)
    created = _between(rng, profile.updated_at, ctx.now)
    offer = {"user_id": profile.person.id, "topics": "\n".join(parse_topics("\n".join(teaching))),
             "in_person": in_person, "online": online, "availability": rng.choice(AVAILABILITY),
             "created_at": created,
             "updated_at": _between(rng, created, ctx.now) if rng.random() < 0.3 else created}
    home = profile.person.ats_id
    others = [a for a in ats_ids if a != home]
    territories = {home} - {None}
    if rng.random() < 0.4 or not territories:
        territories |= set(rng.sample(others, min(len(others), rng.randint(1, 2))))
    return offer, [{"user_id": profile.person.id, "ats_id": a} for a in sorted(territories)]


def _details(ctx: ScaleContext, profile: Profile, bio_html: str, topics: list[str],
             cum: list[float]) -> dict:
    """What services.update_details and refresh_search_words leave."""
    rng = ctx.rng
    chosen = parse_topics("\n".join(_pick_distinct(rng, topics, cum, rng.randint(1, 4)))) \
        if profile.offer or rng.random() < TOPICS_SHARE else []
    visibility = DetailsVisibility.SHARED_SPACES.value if rng.random() < RESTRICTED_SHARE \
        else DetailsVisibility.EVERYBODY.value
    offer_topics = profile.offer["topics"] if profile.offer else ""
    return {"user_id": profile.person.id, "visibility": visibility, "topics": "\n".join(chosen),
            "languages": _weighted(rng, LANGUAGES),
            "search_words": search_words(plain_text(bio_html), " ".join(chosen),
                                         offer_topics.replace("\n", " ")),
            "updated_at": profile.updated_at}


class Endorsers:
    """Who may endorse whom: colleagues of the same ATS mostly; for details shown only to
    shared spaces, people of one of the person's spaces (nobody else sees the skills)."""

    def __init__(self, ctx: ScaleContext):
        self.rng = ctx.rng
        self.everybody = [p.id for p in ctx.people]
        self.by_ats: dict[int | None, list[int]] = {}
        for person in ctx.people:
            self.by_ats.setdefault(person.ats_id, []).append(person.id)
        self.space_members = {s.id: list(s.members) for s in ctx.spaces if len(s.members) > 1}
        self.spaces_of: dict[int, list[int]] = {}
        for space_id, members in self.space_members.items():
            for user_id in members:
                self.spaces_of.setdefault(user_id, []).append(space_id)

    def candidate(self, profile: Profile) -> int | None:
        rng, person = self.rng, profile.person
        restricted = profile.details and \
            profile.details["visibility"] == DetailsVisibility.SHARED_SPACES.value
        if restricted:
            spaces = self.spaces_of.get(person.id)
            return rng.choice(self.space_members[rng.choice(spaces)]) if spaces else None
        colleagues = self.by_ats.get(person.ats_id, [])
        if person.ats_id is not None and len(colleagues) > 1 and rng.random() < SAME_ATS:
            return rng.choice(colleagues)
        return rng.choice(self.everybody)

    def pick(self, profile: Profile, n: int) -> list[int]:
        chosen: dict[int, None] = {}
        for _ in range(4 * n):  # a few tries: oneself and repeats are skipped
            endorser = self.candidate(profile)
            if endorser is None:
                break
            if endorser != profile.person.id:
                chosen.setdefault(endorser, None)
            if len(chosen) == n:
                break
        return list(chosen)


def _skill_rows(ctx: ScaleContext, profiles: list[Profile]) -> tuple[list[dict], list[dict]]:
    """person_skills with their endorsement_count, and the endorsements."""
    rng = ctx.rng
    endorsers = Endorsers(ctx)
    skills, endorsements = [], []
    for profile in profiles:
        for code, level in profile.levels.items():
            chosen = endorsers.pick(profile, rng.choices([1, 2, 3], [60, 30, 10])[0]) \
                if rng.random() < ENDORSED[level] else []
            skills.append({"user_id": profile.person.id, "skill_code": code, "level": level,
                           "endorsement_count": len(chosen), "updated_at": profile.updated_at})
            endorsements += [{"user_id": profile.person.id, "skill_code": code,
                              "endorser_id": endorser,
                              "note": rng.choice(NOTES) if rng.random() < 0.3 else "",
                              "created_at": _between(rng, profile.updated_at, ctx.now)}
                             for endorser in chosen]
    return skills, endorsements


def _learning(ctx: ScaleContext, profiles: list[Profile]) -> list[dict]:
    rng = ctx.rng
    rows = []
    for profile in profiles:
        if rng.random() >= LEARNING_SHARE:
            continue
        for title in rng.sample(COURSES, rng.randint(1, 3)):
            rows.append({"user_id": profile.person.id, "title": title,
                         "kind": _weighted(rng, KINDS), "provider": rng.choice(PROVIDERS),
                         "year": ctx.now.year - rng.randrange(6),
                         "created_at": _between(rng, profile.joined, ctx.now)})
    return rows


def seed_directory(ctx: ScaleContext, factor: float) -> None:
    rng = ctx.rng
    skills = db.session.execute(select(Skill.code, Skill.group_code, Skill.label_it)
                                .order_by(Skill.code)).all()
    bios = dict(db.session.execute(select(User.id, User.bio_html)
                                   .where(User.bio_html != "")).all())
    joined = ctx.extra["joined"]
    profiles = [Profile(person, joined[person.id], _between(rng, joined[person.id], ctx.now))
                for person in ctx.people]
    _skill_levels(ctx, profiles, skills)

    labels = {s.code: s.label_it for s in skills}
    ats_ids = sorted({p.ats_id for p in ctx.people} - {None})
    territories = []
    trainers = _trainers(ctx, profiles)
    for profile in trainers:
        profile.offer, rows = _offer(ctx, profile, labels, ats_ids, TOPICS)
        territories += rows
    topic_weights = list(accumulate(1 / (1 + rank / 3) for rank in range(len(TOPICS))))
    for profile in profiles:
        profile.details = _details(ctx, profile, bios.get(profile.person.id, ""), TOPICS,
                                   topic_weights)

    skill_rows, endorsements = _skill_rows(ctx, profiles)
    learning = _learning(ctx, profiles)
    ctx.insert(ProfileDetails, [p.details for p in profiles if p.details])
    ctx.insert(PersonSkill, skill_rows)
    ctx.insert(TrainerOffer, [p.offer for p in trainers])
    ctx.insert(trainer_territories, territories)
    for table, rows in ((Endorsement, endorsements), (LearningRecord, learning)):
        for row, new_id in zip(rows, ctx.new_ids(table.__table__, len(rows))):
            row["id"] = new_id
        ctx.insert(table, rows)
    _facts(ctx, profiles)


def _facts(ctx: ScaleContext, profiles: list[Profile]) -> None:
    """Counted over the profiles everybody signed in sees: any member finds at least these."""
    public = [p for p in profiles if p.details
              and p.details["visibility"] == DetailsVisibility.EVERYBODY.value]
    holders = Counter(code for p in public for code, level in p.levels.items() if level >= 2)
    skill, people = max(sorted(holders.items()), key=lambda item: item[1])
    used = Counter(word for p in public for word in _topic_words(p.details["topics"]))
    word, with_word = max(sorted(used.items()), key=lambda item: item[1])
    ctx.facts.update(directory_skill=skill, directory_skill_people=people,
                     directory_word=word, directory_word_people=with_word)


def _topic_words(topics: str) -> set[str]:
    """The searchable words of the topics: no stop words, none too short to be a word."""
    return {w for w in search_words(topics.replace("\n", " ")).split()
            if w not in STOP_WORDS and len(w) >= 4}


SEEDERS = [("rubrica", seed_directory)]
