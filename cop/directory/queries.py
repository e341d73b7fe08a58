"""Reads of the directory: a profile's details, the directory search, trainers, the skills map.

Every list is filtered in SQL by `access.details_visible_clause`: a person who shows their
details only to people who share a space with them is not found by anybody else, not even
by a skill or a word they wrote.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime

from flask import current_app, g, has_request_context
from markupsafe import Markup
from sqlalchemy import and_, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased, joinedload

from cop import access, figure_store
from cop.auth.models import User
from cop.directory.models import (
    DetailsVisibility,
    Endorsement,
    LearningRecord,
    Level,
    PersonSkill,
    ProfileDetails,
    TrainerOffer,
    trainer_territories,
)
from cop.extensions import db
from cop.network.models import Alleanza, Ats, EntityType, Organisation, organisation_alleanze
from cop.pagination import MAX_PAGE, PageNumbers
from cop.reference.models import Skill, SkillGroup
from cop.search.text import WORD, Term, fold, highlight, plain_text, snippet, terms

MAP_LEVEL = 3  # the skills map counts people at «avanzato» or «posso formare altri»
FILLERS_PER_SKILL = 5
# A search that finds more people than this says "more than 1,000" and pages through the
# first 1,000 (as the site search does): counting every match of a common skill costs more
# than the page itself, and nobody reads that far.
COUNT_CAP = 1000


def details_of(user_id: int) -> ProfileDetails:
    """The person's details row, or a transient default one (nothing told yet)."""
    details = db.session.get(ProfileDetails, user_id)
    if details is None:
        details = ProfileDetails(user_id=user_id, visibility=DetailsVisibility.EVERYBODY.value,
                                 topics="", languages="", search_words="")
    return details


def skill_catalogue() -> list[tuple[SkillGroup, list[Skill]]]:
    """The taxonomy, group by group, in one statement (once per request: the search form's
    choices and the skills a searched word names both read it)."""
    if has_request_context() and "_cop_skill_catalogue" in g:
        return g._cop_skill_catalogue
    rows = db.session.execute(select(Skill, SkillGroup).join(SkillGroup,
                                                              SkillGroup.code == Skill.group_code)
                              .order_by(SkillGroup.code, Skill.code)).all()
    groups: dict[str, tuple[SkillGroup, list[Skill]]] = {}
    for skill, group in rows:
        groups.setdefault(group.code, (group, []))[1].append(skill)
    catalogue = list(groups.values())
    if has_request_context():
        g._cop_skill_catalogue = catalogue
    return catalogue


def territory_choices() -> tuple[list[Ats], list[Alleanza]]:
    """The ATS and their Alleanze, in one statement (Alleanza.ats is joined)."""
    alleanze = db.session.scalars(select(Alleanza).join(Ats, Ats.id == Alleanza.ats_id)
                                  .order_by(Ats.name, Alleanza.number)).all()
    ats = list({a.ats.id: a.ats for a in alleanze}.values())
    return ats, alleanze


def entity_types() -> list[EntityType]:
    return db.session.scalars(select(EntityType).order_by(EntityType.position)).all()


# --- one profile ----------------------------------------------------------------------------

@dataclass
class Profile:
    details: ProfileDetails
    visible: bool
    skills: list[tuple[SkillGroup, list[tuple[Skill, PersonSkill]]]] = field(default_factory=list)
    endorsements: dict[str, list[Endorsement]] = field(default_factory=dict)
    endorsed_by_me: set[str] = field(default_factory=set)
    learning: list[LearningRecord] = field(default_factory=list)
    offer: TrainerOffer | None = None
    may_endorse: bool = False
    may_contact: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.skills or self.details.topic_list or self.details.languages
                    or self.learning or self.offer)


def profile(viewer, person: User) -> Profile:
    """What the profile page shows of the directory; at most five statements."""
    details = details_of(person.id)
    visible = access.can(viewer, access.VIEW_DETAILS, details)
    result = Profile(details=details, visible=visible)
    if not visible:
        return result
    rows = db.session.execute(
        select(PersonSkill, Skill, SkillGroup).join(Skill, Skill.code == PersonSkill.skill_code)
        .join(SkillGroup, SkillGroup.code == Skill.group_code)
        .where(PersonSkill.user_id == person.id)
        .order_by(SkillGroup.code, PersonSkill.level.desc(), Skill.code)).all()
    groups: dict[str, tuple[SkillGroup, list]] = {}
    for person_skill, skill, group in rows:
        groups.setdefault(group.code, (group, []))[1].append((skill, person_skill))
    result.skills = list(groups.values())
    if rows:
        for endorsement in db.session.scalars(
                select(Endorsement).where(Endorsement.user_id == person.id)
                .options(joinedload(Endorsement.endorser))
                .order_by(Endorsement.created_at)):
            result.endorsements.setdefault(endorsement.skill_code, []).append(endorsement)
            if endorsement.endorser_id == viewer.id:
                result.endorsed_by_me.add(endorsement.skill_code)
    result.learning = db.session.scalars(
        select(LearningRecord).where(LearningRecord.user_id == person.id)
        .order_by(LearningRecord.year.desc(), LearningRecord.id.desc())).all()
    result.offer = db.session.scalar(select(TrainerOffer).where(TrainerOffer.user_id == person.id)
                                     .options(joinedload(TrainerOffer.territories)))
    result.may_endorse = person.id != viewer.id and person.active
    result.may_contact = access.can(viewer, access.CONTACT, details)
    return result


# --- search ---------------------------------------------------------------------------------

@dataclass
class Query:
    skills: list[str] = field(default_factory=list)
    min_level: int = 1
    ats_id: int | None = None
    alleanza_id: int | None = None
    entity_type: str | None = None
    trainers_only: bool = False
    text: str = ""


@dataclass
class Match:
    person: User
    details: ProfileDetails | None
    is_trainer: bool
    skills: list[tuple[Skill, PersonSkill]]  # the asked skills (or the strongest ones)
    text_html: Markup | None  # where the words were found, marked


@dataclass
class ResultPage(PageNumbers):
    matches: list[Match]
    total: int
    page: int
    per_page: int
    terms: list[Term] = field(default_factory=list)
    capped: bool = False  # more than COUNT_CAP matches: `total` is COUNT_CAP


def words_clause(found: list[Term], column):
    """SQL condition: `column` (" w1 w2 ... ", folded) holds every term, as the platform's
    search finds them: a long stem as a prefix, a short one as its exact forms."""
    conditions = []
    for term in found:
        alternatives = []
        for one in term.alternatives:  # the term and its synonyms (cop.search.text)
            if one.prefix:
                alternatives.append(column.contains(f" {one.prefix}"))
                alternatives += [column.contains(f" {word} ") for word in one.siblings
                                 if not word.startswith(one.prefix)]
            else:
                alternatives += [column.contains(f" {form} ") for form in sorted(one.forms)]
        conditions.append(or_(*alternatives))
    return and_(*conditions)


def skills_named(text: str, found: list[Term]) -> list[str]:
    """The codes of the skills `text` names: by code («E3»), or with every word of it in the
    skill's name, Italian or English («smart working»). The request's catalogue."""
    code = text.strip().upper()
    named = []
    skills = sorted((s for _group, skills in skill_catalogue() for s in skills),
                    key=lambda s: s.code)
    for skill_code, *labels in ((s.code, s.label_it, s.label_en) for s in skills):
        if code == skill_code or (found and any(
                all(any(t.matches(w) for w in WORD.findall(fold(label))) for t in found)
                for label in labels)):
            named.append(skill_code)
    return named


def _holding(codes: list[str], min_level: int):
    """SQL condition on User: holds one of the skills `codes` at `min_level` or more."""
    return User.id.in_(select(PersonSkill.user_id).where(
        PersonSkill.skill_code.in_(codes), PersonSkill.level >= min_level))


def search_words(*texts: str) -> str:
    """What `words_clause` looks in: the distinct folded words of `texts`."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in WORD.findall(fold(text or "")):
            seen.setdefault(word, None)
    return " " + " ".join(seen) + " " if seen else ""


def _people_conditions(viewer, query: Query, found: list[Term], named: list[str]) -> list:
    conditions = [User.active.is_(True),
                  access.details_visible_clause(viewer, details_joined=True)]
    # One asked skill is joined (see search); each further one is a condition.
    for code in query.skills[1:]:
        conditions.append(User.id.in_(select(PersonSkill.user_id).where(
            PersonSkill.skill_code == code, PersonSkill.level >= query.min_level)))
    if not query.skills and query.min_level > 1:
        conditions.append(User.id.in_(select(PersonSkill.user_id).where(
            PersonSkill.level >= query.min_level)))
    if query.ats_id:
        conditions.append(Organisation.ats_id == query.ats_id)
    if query.alleanza_id:
        conditions.append(Organisation.id.in_(select(organisation_alleanze.c.organisation_id)
                                              .where(organisation_alleanze.c.alleanza_id
                                                     == query.alleanza_id)))
    if query.entity_type:
        conditions.append(Organisation.entity_type_code == query.entity_type)
    if query.trainers_only:
        conditions.append(User.id.in_(select(TrainerOffer.user_id)))
    if found:
        words = words_clause(found, ProfileDetails.search_words)
        conditions.append(or_(words, _holding(named, query.min_level)) if named else words)
    return conditions


def search(viewer, query: Query, page: int = 1, per_page: int | None = None) -> ResultPage:
    """People (active, whose details `viewer` sees, with a directory profile) matching every
    filter: each asked skill at `min_level` or more, the territory, the kind of organisation,
    an offer to train, every word of `text` in the bio or topics. With skills asked, the
    strongest first: the highest levels in them, then the most endorsements; otherwise by
    name. The words also find the people who hold a skill they name (`skills_named`). With
    `trainers_only`, the asked and named skills count at the level «posso formare altri»: a
    trainer of other topics is not a trainer of these. Four statements."""
    per_page = per_page or current_app.config["SEARCH_PAGE_SIZE"]
    found = terms(query.text)
    if query.text.strip() and not found:  # only stop words
        return ResultPage([], 0, 1, per_page, found)
    if query.trainers_only and (query.skills or query.text.strip()):
        query = replace(query, min_level=int(Level.TRAINER))
    named = skills_named(query.text, found) if query.text.strip() else []
    conditions = _people_conditions(viewer, query, found, named)

    def base(statement):
        statement = (statement.join(Organisation, Organisation.id == User.organisation_id)
                     .join(ProfileDetails, ProfileDetails.user_id == User.id))
        if query.skills:  # the first skill joined: its index gives the strongest first
            statement = statement.join(PersonSkill, and_(
                PersonSkill.user_id == User.id, PersonSkill.skill_code == query.skills[0],
                PersonSkill.level >= query.min_level))
        return statement.where(*conditions)

    total, capped = _capped_count(base(select(User.id).select_from(User)))
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages, MAX_PAGE)
    order = []
    if len(query.skills) == 1:
        order = [PersonSkill.level.desc(), PersonSkill.endorsement_count.desc()]
    elif query.skills:
        held = aliased(PersonSkill)
        level = (select(func.sum(held.level))
                 .where(held.user_id == User.id, held.skill_code.in_(query.skills))
                 .correlate(User).scalar_subquery())
        endorsements = (select(func.sum(held.endorsement_count))
                        .where(held.user_id == User.id, held.skill_code.in_(query.skills))
                        .correlate(User).scalar_subquery())
        order = [level.desc(), endorsements.desc()]
    # Whether each is a trainer: asked of the page's rows only (an outer join to the offers
    # led PostgreSQL to join every person before the skill's holders).
    is_trainer = select(TrainerOffer.user_id).where(TrainerOffer.user_id == User.id).exists()
    rows = db.session.execute(
        base(select(User, ProfileDetails, is_trainer.label("trainer")).select_from(User))
        .order_by(*order, User.name, User.id).limit(per_page).offset((page - 1) * per_page)
    ).all() if total else []
    ids = [row.User.id for row in rows]
    skills = _shown_skills(ids, query.skills or named, query.min_level)
    matches = [Match(person=row.User, details=row.ProfileDetails,
                     is_trainer=bool(row.trainer),
                     skills=skills.get(row.User.id, []),
                     text_html=_where_found(row.User, row.ProfileDetails, found))
               for row in rows]
    return ResultPage(matches, total, page, per_page, found, capped)


def _capped_count(statement) -> tuple[int, bool]:
    """(matches of `statement` up to COUNT_CAP, whether there are more)."""
    found = db.session.scalar(select(func.count()).select_from(
        statement.limit(COUNT_CAP + 1).subquery()))
    return min(found, COUNT_CAP), found > COUNT_CAP


def _shown_skills(ids: list[int], codes: list[str], min_level: int
                  ) -> dict[int, list[tuple[Skill, PersonSkill]]]:
    """The asked (or named) skills of each person on the page; else their strongest."""
    if not ids:
        return {}
    statement = (select(PersonSkill, Skill).join(Skill, Skill.code == PersonSkill.skill_code)
                 .where(PersonSkill.user_id.in_(ids)))
    if codes:
        statement = statement.where(PersonSkill.skill_code.in_(codes))
    else:
        statement = statement.where(PersonSkill.level >= max(min_level, MAP_LEVEL))
    shown: dict[int, list] = defaultdict(list)
    for person_skill, skill in db.session.execute(
            statement.order_by(PersonSkill.level.desc(), Skill.code)):
        if len(shown[person_skill.user_id]) < 6:
            shown[person_skill.user_id].append((skill, person_skill))
    return shown


def _where_found(person: User, details: ProfileDetails | None, found: list[Term]) -> Markup | None:
    if not found or details is None:
        return None

    for text in ("\n".join(details.topic_list).replace("\n", " · "), plain_text(person.bio_html)):
        marked = snippet(text, found, words=24) if len(text) > 160 else highlight(text, found)
        if "<mark>" in marked:
            return marked
    return None


# --- trainers -------------------------------------------------------------------------------

def trainers(viewer, *, text: str = "", ats_id: int | None = None, online: bool = False,
             page: int = 1, per_page: int | None = None):
    """People offering to train whose details `viewer` sees, by territory and by what they
    train on: the words in the topics of their offer, or a skill the words name
    (`skills_named`) that they hold at the level «posso formare altri». Their biography and
    profile topics do not count: they say what people know, not what they teach."""
    per_page = per_page or current_app.config["SEARCH_PAGE_SIZE"]
    found = terms(text)
    conditions = [User.active.is_(True),
                  access.details_visible_clause(viewer, details_joined=True)]
    if text.strip():
        named = skills_named(text, found)
        # the offer's topics as words; lower() does not fold accents, but the query's
        # stems are prefixes, which mostly stop before an accented ending (disabilit-)
        topics = literal(" ") + func.lower(func.replace(TrainerOffer.topics, "\n", " ")) \
            + literal(" ")
        teaching = [words_clause(found, topics)] if found else []
        if named:
            teaching.append(_holding(named, int(Level.TRAINER)))
        conditions.append(or_(*teaching) if teaching else literal(False))
    if ats_id:
        conditions.append(TrainerOffer.user_id.in_(select(trainer_territories.c.user_id).where(
            trainer_territories.c.ats_id == ats_id)))
    if online:
        conditions.append(TrainerOffer.online.is_(True))

    def base(statement):
        return (statement.join(User, User.id == TrainerOffer.user_id)
                .join(ProfileDetails, ProfileDetails.user_id == TrainerOffer.user_id)
                .where(*conditions))

    total = db.session.scalar(base(select(func.count(TrainerOffer.user_id))
                                   .select_from(TrainerOffer)))
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages, MAX_PAGE)
    offers = db.session.execute(
        base(select(TrainerOffer, User).select_from(TrainerOffer))
        .options(joinedload(TrainerOffer.territories))
        .order_by(User.name, User.id).limit(per_page).offset((page - 1) * per_page)
    ).unique().all() if total else []
    ids = [offer.user_id for offer, _ in offers]
    teaching = _teaching_skills(ids)
    return ResultPage([Match(person=user, details=None, is_trainer=True,
                             skills=teaching.get(user.id, []),
                             text_html=highlight(" · ".join(offer.topic_list), found)
                             if found else None)
                       for offer, user in offers], total, page, per_page, found), \
        {offer.user_id: offer for offer, _ in offers}


def _teaching_skills(ids: list[int]) -> dict[int, list[tuple[Skill, PersonSkill]]]:
    if not ids:
        return {}
    shown: dict[int, list] = defaultdict(list)
    for person_skill, skill in db.session.execute(
            select(PersonSkill, Skill).join(Skill, Skill.code == PersonSkill.skill_code)
            .where(PersonSkill.user_id.in_(ids), PersonSkill.level == 4).order_by(Skill.code)):
        shown[person_skill.user_id].append((skill, person_skill))
    return shown


# --- the skills map -------------------------------------------------------------------------

OPEN_FIGURES = "skills_map.v1"  # the family in figure_snapshots: renamed when _Holdings changes
OPEN_KEY = f"{OPEN_FIGURES}:everybody"


@dataclass
class SkillsMap:
    ats: list[Ats]
    groups: list[tuple[SkillGroup, list[Skill]]]
    cells: dict[tuple[int, str], int]  # (ats id, group code) -> people at level 3 or 4
    gaps: dict[int, list[Skill]]  # ats id -> skills nobody there holds at level 3 or 4
    fillers: dict[str, list[tuple[User, int]]]  # skill code -> people who hold it (level)
    chosen_ats: int | None = None  # the ATS whose gaps are shown (and whose fillers are read)
    computed_at: datetime | None = None  # when the open profiles' figures were computed

    @property
    def largest(self) -> int:
        return max(self.cells.values(), default=0)


def skills_map(viewer, ats_id: int | None = None) -> SkillsMap:
    """ATS × skill group: how many people (whose details `viewer` sees) hold a skill of the
    group at level 3 or more; per ATS, the skills nobody there holds so; for each such skill of
    the chosen ATS (`ats_id`, else the viewer's, else the first), who holds it best across the
    region.

    The people whose details everybody sees are most of the region and the same for every
    viewer: their figures are stored (`figure_snapshots`, refreshed by `flask cop
    refresh-figures` and by the directory's writes: `open_holdings`), read in one statement by
    every server; the restricted profiles this viewer may see are added at each request.
    The two groups are disjoint, so their counts add up. The people named as fillers are read
    again with the viewer's access, so a stale figure never shows a profile now hidden."""
    ats_list, _ = territory_choices()
    groups = skill_catalogue()
    shared, computed_at = open_holdings()
    extra = _holdings(and_(access.details_restricted_clause(),
                           access.details_visible_clause(viewer, details_joined=True)))
    cells = dict(shared.cells)
    for key, people in extra.cells.items():
        cells[key] = cells.get(key, 0) + people
    held = shared.held | extra.held
    gaps = {a.id: [s for _, skills in groups for s in skills if (a.id, s.code) not in held]
            for a in ats_list}
    valid = {a.id for a in ats_list}
    if ats_id not in valid:
        own = viewer.organisation.ats_id
        ats_id = own if own in valid else (ats_list[0].id if ats_list else None)
    best = {code: sorted(shared.best.get(code, []) + extra.best.get(code, []))
            [:FILLERS_PER_SKILL] for code in (s.code for s in gaps.get(ats_id, []))}
    fillers: dict[str, list[tuple[User, int]]] = {}
    ids = {user_id for ranked in best.values() for *_, user_id in ranked}
    if ids:
        people = {user.id: user for user in db.session.scalars(
            select(User).outerjoin(ProfileDetails, ProfileDetails.user_id == User.id)
            .where(User.id.in_(ids), User.active.is_(True),
                   access.details_visible_clause(viewer, details_joined=True)))}
        for code, ranked in best.items():
            found = [(people[user_id], -minus_level) for minus_level, _, _, user_id in ranked
                     if user_id in people]
            if found:
                fillers[code] = found
    return SkillsMap(ats=ats_list, groups=groups, cells=cells, gaps=gaps, fillers=fillers,
                     chosen_ats=ats_id, computed_at=computed_at)


@dataclass(frozen=True)
class _Holdings:
    """Who holds which skills at MAP_LEVEL or more, among some people."""

    cells: dict[tuple[int, str], int]  # (ats id, group code) -> distinct people
    held: frozenset[tuple[int, str]]  # (ats id, skill code)
    # skill code -> the strongest holders, as sortable (-level, -endorsements, name, user id)
    best: dict[str, list[tuple[int, int, str, int]]]


def open_holdings() -> tuple[_Holdings, datetime]:
    """The figures of the profiles open to everybody, and when they were computed: stored in
    `figure_snapshots` (cop.figure_store.stored, one statement). `flask cop refresh-figures`
    computes them every few minutes; the directory's writes that change them (skills,
    visibility, endorsements, a deleted account) compute them again in their own transaction
    (services.skills_map_changed: two statements, 0.1 s on the factor-10 region), so a saved
    profile shows at once. Other changes (a person deactivated, an organisation that moves to
    another ATS) show at the next run."""
    figures = figure_store.stored(OPEN_KEY, compute_open_holdings)
    return _decode(figures.data), figures.computed_at


def compute_open_holdings(now: datetime | None = None) -> dict:
    """For cop.figure_store: the open profiles' figures as JSON-ready data."""
    held = _holdings(access.details_open_clause(details_joined=True))
    return {"cells": [[ats, code, people] for (ats, code), people in sorted(held.cells.items())],
            "held": sorted([ats, code] for ats, code in held.held),
            "best": {code: [list(entry) for entry in ranked]
                     for code, ranked in sorted(held.best.items())}}


def open_figures_parts() -> list:
    """What `flask cop refresh-figures` computes for the skills map."""
    return [(OPEN_KEY, compute_open_holdings)]


def _decode(data: dict) -> _Holdings:
    return _Holdings(cells={(ats, code): people for ats, code, people in data["cells"]},
                     held=frozenset((ats, code) for ats, code in data["held"]),
                     best={code: [tuple(entry) for entry in ranked]
                           for code, ranked in data["best"].items()})


def _holdings(population) -> _Holdings:
    """Two statements: the counts (per ATS and group, and the skills held per ATS) over one
    materialised set of the holdings, and the FILLERS_PER_SKILL strongest holders of each
    skill across the region. `population` is a condition on User and ProfileDetails."""
    counted = and_(User.active.is_(True), PersonSkill.level >= MAP_LEVEL, population)

    def holdings(*columns):
        return (select(*columns).select_from(PersonSkill)
                .join(User, User.id == PersonSkill.user_id)
                .outerjoin(ProfileDetails, ProfileDetails.user_id == User.id)
                .where(counted))

    held_rows = (holdings(Organisation.ats_id, Skill.group_code, PersonSkill.skill_code,
                          PersonSkill.user_id)
                 .join(Organisation, Organisation.id == User.organisation_id)
                 .join(Skill, Skill.code == PersonSkill.skill_code)
                 .where(Organisation.ats_id.is_not(None))
                 .cte("held").prefix_with("MATERIALIZED"))
    per_group = select(literal("group").label("what"), held_rows.c.ats_id,
                       held_rows.c.group_code.label("code"),
                       func.count(func.distinct(held_rows.c.user_id)).label("people")) \
        .group_by(held_rows.c.ats_id, held_rows.c.group_code)
    per_skill = select(literal("skill"), held_rows.c.ats_id, held_rows.c.skill_code,
                       literal(0)).group_by(held_rows.c.ats_id, held_rows.c.skill_code)
    cells, held = {}, set()
    for what, ats, code, people in db.session.execute(union_all(per_group, per_skill)):
        if what == "group":
            cells[(ats, code)] = people
        else:
            held.add((ats, code))
    rank = func.row_number().over(
        partition_by=PersonSkill.skill_code,
        order_by=(PersonSkill.level.desc(), PersonSkill.endorsement_count.desc(), User.name,
                  User.id)).label("rank")
    ranked = holdings(PersonSkill.skill_code, PersonSkill.level, PersonSkill.endorsement_count,
                      User.name, User.id.label("user_id"), rank).subquery()
    best: dict[str, list] = defaultdict(list)
    for code, level, endorsements, name, user_id in db.session.execute(
            select(ranked.c.skill_code, ranked.c.level, ranked.c.endorsement_count,
                   ranked.c.name, ranked.c.user_id)
            .where(ranked.c.rank <= FILLERS_PER_SKILL)):
        best[code].append((-level, -endorsements, name, user_id))
    return _Holdings(cells=cells, held=frozenset(held),
                     best={code: sorted(ranked) for code, ranked in best.items()})
