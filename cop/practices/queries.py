"""Reads of the library. Every list, facet count, search, export and report is filtered by
`access.visible_practices_clause`, so they all show exactly what the person may read; each
page runs a fixed number of statements whatever the number of records."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import String, and_, bindparam, cast, func, literal, not_, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from cop import access
from cop.auth.models import SiteRole, User
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.network.models import Alleanza, Ats, EntityType, Organisation
from cop.practices.models import (
    Practice,
    PracticeAdoption,
    PracticeAdoptionEvent,
    PracticePartner,
    PracticeReview,
    PracticeVersion,
    Status,
)
from cop.practices.text import similarity
from cop.reference.models import InterventionArea
from cop.search import queries as search
from cop.search.models import SearchEntry
from cop.search.queries import join_text, matching_entry_ids, text_match
from cop.search.text import Term, highlight, snippet, terms
from cop.spaces.models import Membership, Space, SpaceKind, SpaceRole

PHASES = ("pubblicate", "in_lavorazione", "da_validare", "archiviate")
SORTS = ("rilevanza", "recenti", "adozioni")
FACETS = ("area", "destinatari", "ats", "fase", "stato", "evidenza", "ente")
SIMILAR_CANDIDATES = 300
SIMILAR_SHOWN = 5


@dataclass
class LibraryQuery:
    """What the library was asked: text, facet values (several values of one facet: any of
    them), the phase of the workflow and the order."""

    text: str = ""
    chosen: dict[str, list[str]] = field(default_factory=dict)
    phase: str = "pubblicate"
    sort: str = ""

    @property
    def words(self):
        return terms(self.text)

    @property
    def chosen_sort(self) -> str:
        """The order the person chose ("" when they left it to the words: relevance)."""
        return self.sort if self.sort in SORTS else ""

    def effective_sort(self) -> str:
        if self.sort in SORTS and (self.sort != "rilevanza" or self.words):
            return self.sort
        return "rilevanza" if self.words else "recenti"


def _facet_column(name: str):
    return {
        "area": Practice.area_code, "destinatari": Practice.target,
        "ats": cast(Practice.ats_id, String), "fase": Practice.stage, "stato": Practice.state,
        "evidenza": Practice.evidence, "ente": Organisation.entity_type_code,
    }[name]


def _phase_clause(user, phase: str):
    if phase == "in_lavorazione":
        return Practice.status.in_([Status.DRAFT.value, Status.SUBMITTED.value,
                                    Status.VALIDATED.value])
    if phase == "da_validare":
        return access.practices_to_review_clause(user)
    if phase == "archiviate":
        return Practice.status == Status.ARCHIVED.value
    return Practice.status == Status.PUBLISHED.value


def _matching_ids(words):
    return select(SearchEntry.doc_id).where(
        SearchEntry.doc_type == "practice",
        SearchEntry.id.in_(matching_entry_ids(words, doc_type="practice")))


def _conditions(user, query: LibraryQuery, *, facets: bool = True, words: bool = True) -> list:
    """`words=False`: the statement matches the words itself (joined to the text index)."""
    conditions = [access.visible_practices_clause(user), _phase_clause(user, query.phase)]
    if words and query.words:
        conditions.append(Practice.id.in_(_matching_ids(query.words)))
    if facets:
        conditions += [_facet_column(name).in_(values)
                       for name, values in query.chosen.items() if values]
    return conditions


def _base(statement):
    return statement.select_from(Practice).outerjoin(
        Organisation, Organisation.id == Practice.lead_organisation_id)


def facet_counts(user, query: LibraryQuery) -> tuple[int, dict[str, dict[str, int]]]:
    """The number of records found, and for each facet how many records each value would give
    with the other facets as chosen (one statement).

    The records the person may read that match the text and phase are found once (a
    materialised CTE) and every count reads them, instead of each count running the access
    filter and the text match again."""
    found = _base(select(*(_facet_column(name).label(name) for name in FACETS))).where(
        *_conditions(user, query, facets=False)).cte("found").prefix_with("MATERIALIZED")

    def chosen(without: str | None = None) -> list:
        return [found.c[name].in_(values) for name, values in query.chosen.items()
                if values and name != without]

    parts = [select(literal("_total").label("facet"), literal("").label("value"),
                    func.count().label("n")).select_from(found).where(*chosen())]
    for name in FACETS:
        column = found.c[name]
        parts.append(select(literal(name).label("facet"), column.label("value"),
                            func.count().label("n"))
                     .where(*chosen(without=name), column.is_not(None)).group_by(column))
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    total = 0
    for facet, value, n in db.session.execute(union_all(*parts)):
        if facet == "_total":
            total = n
        else:
            counts[facet][str(value)] = n
    return total, counts


def facet_labels() -> dict[str, dict[str, tuple[str, str]]]:
    """Value -> (Italian, English) labels of the facets backed by reference data (one statement)."""
    rows = db.session.execute(union_all(
        select(literal("area"), InterventionArea.code, InterventionArea.label_it,
               InterventionArea.label_en, InterventionArea.position),
        select(literal("ats"), cast(Ats.id, String), Ats.name, Ats.name, Ats.id),
        select(literal("ente"), EntityType.code, EntityType.label_it, EntityType.label_en,
               EntityType.position),
    ))
    labels: dict[str, dict[str, tuple[str, str, int]]] = {"area": {}, "ats": {}, "ente": {}}
    for facet, value, label_it, label_en, position in rows:
        labels[facet][value] = (label_it, label_en, position)
    return {facet: dict(sorted(values.items(), key=lambda kv: kv[1][2]))
            for facet, values in labels.items()}


def library_ids(user, query: LibraryQuery):
    """The ids of the records found, in the order asked (a narrow select, paged by the view)."""
    sort = query.effective_sort()
    if sort == "rilevanza":  # ranked: joined to the index, which reads the words once
        statement = _base(select(Practice.id)).where(*_conditions(user, query, words=False))
        match, score = text_match(query.words, doc_type="practice")
        statement = join_text(statement.join(SearchEntry, and_(
            SearchEntry.doc_type == "practice", SearchEntry.doc_id == Practice.id))).where(match)
        return statement.order_by(score.desc(), Practice.updated_at.desc(), Practice.id.desc())
    statement = _base(select(Practice.id)).where(*_conditions(user, query))
    if sort == "adozioni":
        return statement.order_by(Practice.adoption_count.desc(), Practice.updated_at.desc(),
                                  Practice.id.desc())
    return statement.order_by(Practice.updated_at.desc(), Practice.id.desc())


@functools.cache
def _cards():
    """Built once per process: its loader options cost more to build and key at every request
    than the statement costs to run."""
    return select(Practice).where(Practice.id.in_(bindparam("practice_ids", expanding=True))) \
        .options(joinedload(Practice.space), joinedload(Practice.area), joinedload(Practice.ats),
                 joinedload(Practice.alleanza), joinedload(Practice.lead_organisation))


def load_cards(ids: list[int]) -> list[Practice]:
    """Records for a list: with their space, area, territory and lead organisation."""
    if not ids:
        return []
    rows = db.session.scalars(_cards(), {"practice_ids": list(ids)}).unique().all()
    order = {pid: n for n, pid in enumerate(ids)}
    return sorted(rows, key=lambda p: order[p.id])


@dataclass
class Excerpt:
    title_html: Markup
    snippet_html: Markup


def excerpts(practices: list[Practice], words: list[Term]) -> dict[int, Excerpt]:
    """Record id -> its title and the part of its text where the words were found, the words
    highlighted as the site search shows them (one statement for the page)."""
    if not practices or not words:
        return {}
    rows = db.session.execute(select(SearchEntry.doc_id, SearchEntry.title, SearchEntry.body)
                              .where(SearchEntry.doc_type == "practice",
                                     SearchEntry.doc_id.in_([p.id for p in practices])))
    return {doc_id: Excerpt(highlight(title, words), snippet(body, words))
            for doc_id, title, body in rows}


def export_rows(user, query: LibraryQuery, limit: int) -> list[Practice]:
    """Everything an export writes, for the records found (a fixed number of statements)."""
    ids = db.session.scalars(library_ids(user, query).limit(limit)).all()
    if not ids:
        return []
    rows = db.session.scalars(select(Practice).where(Practice.id.in_(ids)).options(
        joinedload(Practice.space), joinedload(Practice.area), joinedload(Practice.ats),
        joinedload(Practice.alleanza), joinedload(Practice.lead_organisation),
        joinedload(Practice.contact), selectinload(Practice.partners),
        selectinload(Practice.indicators))).unique().all()
    order = {pid: n for n, pid in enumerate(ids)}
    return sorted(rows, key=lambda p: order[p.id])


@functools.cache
def practice_page() -> tuple:
    """What a record's page shows beside it (loader options for `access.get_or_404`)."""
    return (joinedload(Practice.space), joinedload(Practice.area), joinedload(Practice.ats),
            joinedload(Practice.alleanza), joinedload(Practice.lead_organisation),
            joinedload(Practice.contact), joinedload(Practice.created_by),
            selectinload(Practice.partners).joinedload(PracticePartner.organisation),
            selectinload(Practice.indicators), selectinload(Practice.links))


def practice_edit() -> tuple:
    """What the edit form and the history of a record read (options for `get_or_404`)."""
    return (joinedload(Practice.space), joinedload(Practice.lead_organisation),
            selectinload(Practice.partners), selectinload(Practice.indicators),
            selectinload(Practice.links))


def linked_threads(user, practice: Practice) -> list[Thread]:
    ids = [link.target_id for link in practice.links if link.kind == "thread"]
    if not ids:
        return []
    return db.session.scalars(select(Thread).where(
        Thread.id.in_(ids), access.visible_threads_clause(user))
        .options(joinedload(Thread.space)).order_by(Thread.last_activity_at.desc())).all()


def threads_by_ids(user, ids: list[int]) -> list[Thread]:
    """The threads `ids` that `user` may read, in that order (a record's linked discussions)."""
    if not ids:
        return []
    found = {t.id: t for t in db.session.scalars(select(Thread).where(
        Thread.id.in_(ids), access.visible_threads_clause(user))
        .options(joinedload(Thread.space)))}
    return [found[i] for i in ids if i in found]


def find_threads(user, text: str, limit: int = 10) -> list[Thread]:
    """Threads `user` may read whose title or posts hold the words of `text`, the most
    pertinent first (the site search, one result per thread), to link to a record."""
    hits = search.search(user, text, per_page=limit, group_threads=True).hits
    return threads_by_ids(user, [h.thread_id for h in hits
                                 if h.doc_type in search.THREAD_DOCS and h.thread_id])


def adoptions(practice_id: int) -> list[PracticeAdoption]:
    return db.session.scalars(select(PracticeAdoption).where(
        PracticeAdoption.practice_id == practice_id).options(
        joinedload(PracticeAdoption.alleanza), joinedload(PracticeAdoption.user))
        .order_by(PracticeAdoption.created_at.desc())).all()


def adoption_history(practice_id: int) -> list[PracticeAdoptionEvent]:
    """Every registration, change and withdrawal of the record's adoptions, newest first."""
    return db.session.scalars(select(PracticeAdoptionEvent).where(
        PracticeAdoptionEvent.practice_id == practice_id).options(
        joinedload(PracticeAdoptionEvent.alleanza), joinedload(PracticeAdoptionEvent.user))
        .order_by(PracticeAdoptionEvent.created_at.desc(), PracticeAdoptionEvent.id.desc())).all()


def reviews(practice_id: int) -> list[PracticeReview]:
    return db.session.scalars(select(PracticeReview).where(
        PracticeReview.practice_id == practice_id).options(joinedload(PracticeReview.actor))
        .order_by(PracticeReview.created_at.desc(), PracticeReview.id.desc())).all()


def comments(user, practice: Practice, limit: int = 5) -> tuple[Thread | None, list[Post]]:
    """The record's discussion thread (if the person may read it) and its latest replies."""
    if not practice.comment_thread_id:
        return None, []
    rows = db.session.execute(
        select(Thread, Post).outerjoin(Post, and_(
            Post.thread_id == Thread.id, Post.deleted_at.is_(None), Post.hidden.is_(False)))
        .where(Thread.id == practice.comment_thread_id, access.visible_threads_clause(user))
        .options(joinedload(Post.author), joinedload(Thread.space))
        .order_by(Post.created_at.desc()).limit(limit)).all()
    if not rows:
        return None, []
    return rows[0][0], [post for _, post in reversed(rows) if post is not None]


@dataclass
class Similar:
    id: int
    title: str
    ats_name: str | None
    alleanza_name: str | None
    score: float


def similar_practices(user, practice: Practice) -> list[Similar]:
    """Published records of the same area and target, closest text first (one statement)."""
    if not practice.area_code or not practice.target:
        return []
    rows = db.session.execute(
        select(Practice.id, Practice.title, Practice.keywords, Ats.name, Alleanza.name)
        .outerjoin(Ats, Ats.id == Practice.ats_id)
        .outerjoin(Alleanza, Alleanza.id == Practice.alleanza_id)
        .where(Practice.id != practice.id, Practice.area_code == practice.area_code,
               Practice.target == practice.target, Practice.status == Status.PUBLISHED.value,
               access.visible_practices_clause(user))
        .order_by(Practice.updated_at.desc()).limit(SIMILAR_CANDIDATES)).all()
    found = [Similar(pid, title, ats, alleanza, similarity(practice.keywords, keywords))
             for pid, title, keywords, ats, alleanza in rows]
    found.sort(key=lambda s: s.score, reverse=True)
    return found[:SIMILAR_SHOWN]


@dataclass
class OverlapGroup:
    area_code: str
    target: str
    practices: list = field(default_factory=list)
    shared_municipalities: list[str] = field(default_factory=list)

    @property
    def alleanza_count(self) -> int:
        return len({p.alleanza_id for p in self.practices if p.alleanza_id})


def overlap_report(user, ats_id: int) -> list[OverlapGroup]:
    """Records of one ATS that share area and target: who already does what (one statement).
    Groups with at least two records; the municipalities more than one of them names."""
    rows = db.session.execute(
        select(Practice.id, Practice.title, Practice.area_code, Practice.target,
               Practice.alleanza_id, Alleanza.name.label("alleanza_name"), Practice.state,
               Practice.stage, Practice.municipalities, Practice.status)
        .outerjoin(Alleanza, Alleanza.id == Practice.alleanza_id)
        .where(Practice.ats_id == ats_id, Practice.area_code.is_not(None),
               Practice.target.is_not(None), Practice.status != Status.ARCHIVED.value,
               access.visible_practices_clause(user))
        .order_by(Practice.area_code, Practice.target, Alleanza.name, Practice.title)).all()
    groups: dict[tuple[str, str], OverlapGroup] = {}
    for row in rows:
        groups.setdefault((row.area_code, row.target),
                          OverlapGroup(row.area_code, row.target)).practices.append(row)
    report = []
    for group in groups.values():
        if len(group.practices) < 2:
            continue
        seen: dict[str, int] = {}
        for row in group.practices:
            for place in {m.strip() for m in row.municipalities.split("\n") if m.strip()}:
                seen[place] = seen.get(place, 0) + 1
        group.shared_municipalities = sorted(p for p, n in seen.items() if n > 1)
        report.append(group)
    report.sort(key=lambda g: (-len(g.practices), g.area_code, g.target))
    return report


def versions(practice_id: int) -> list[PracticeVersion]:
    return db.session.scalars(select(PracticeVersion).where(
        PracticeVersion.practice_id == practice_id).options(joinedload(PracticeVersion.author))
        .order_by(PracticeVersion.number.desc())).all()


def version_pair(practice_id: int, old: int, new: int) -> dict[int, PracticeVersion]:
    found = db.session.scalars(select(PracticeVersion).where(
        PracticeVersion.practice_id == practice_id, PracticeVersion.number.in_([old, new]))
        .options(joinedload(PracticeVersion.author))).all()
    return {v.number: v for v in found}


def space_practice_ids(user, space_id: int):
    return select(Practice.id).where(Practice.space_id == space_id,
                                     access.visible_practices_clause(user)) \
        .order_by(Practice.updated_at.desc(), Practice.id.desc())


def showcase_ids(area: str | None = None):
    statement = select(Practice.id).where(access.public_practices_clause())
    if area:
        statement = statement.where(Practice.area_code == area)
    return statement.order_by(Practice.published_at.desc(), Practice.id.desc())


def showcase_practice(practice_id: int) -> Practice | None:
    return db.session.scalar(select(Practice).where(
        Practice.id == practice_id, access.public_practices_clause()).options(
        joinedload(Practice.area), joinedload(Practice.ats), joinedload(Practice.alleanza),
        joinedload(Practice.lead_organisation), joinedload(Practice.contact),
        selectinload(Practice.partners), selectinload(Practice.indicators)))


def review_queue_count(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Practice).where(
        access.practices_to_review_clause(user)))


def organisation_names(user, territory, limit: int = 400) -> list[str]:
    """Suggestions for the lead organisation: those `user` may name (their own first)."""
    statement = select(Organisation.name).where(
        access.attributable_organisations_clause(user, territory)).order_by(
        (Organisation.id == user.organisation_id).desc(), Organisation.name).limit(limit)
    return list(db.session.scalars(statement))


def attribution_choices(user, practice: Practice | None = None) -> tuple[list[Ats],
                                                                         list[Alleanza],
                                                                         list[str]]:
    """The ATS, Alleanze and lead organisation names the record form offers `user`: where
    they may attribute a record (access.attributable_territory), and what it names already."""
    territory = access.attributable_territory(user)
    ats, alleanze = select(Ats).order_by(Ats.name), select(Alleanza).order_by(Alleanza.name)
    if territory is not None:
        kept_ats = {practice.ats_id} if practice is not None and practice.ats_id else set()
        kept_alleanza = {practice.alleanza_id} if practice is not None and \
            practice.alleanza_id else set()
        ats = ats.where(Ats.id.in_(territory.ats_ids | kept_ats))
        alleanze = alleanze.where(Alleanza.id.in_(territory.alleanza_ids | kept_alleanza))
    return (db.session.scalars(ats).all(), db.session.scalars(alleanze).all(),
            organisation_names(user, territory))


def validators(practice: Practice, *, regional: bool = True) -> list[User]:
    """The active people who may validate the record, its writers excepted (four eyes): the
    referents (coordinators of the ATS space) of its ATS and, with `regional`, the regional
    curators."""
    clauses = [User.site_role == SiteRole.CURATOR.value] if regional else []
    if practice.ats_id:
        clauses.append(User.id.in_(select(Membership.user_id).join(
            Space, Space.id == Membership.space_id).where(
            Space.kind == SpaceKind.ATS.value, Space.ats_id == practice.ats_id,
            Membership.role == SpaceRole.COORDINATOR.value)))
    if not clauses:
        return []
    drafted = select(PracticeVersion.author_id).where(
        PracticeVersion.practice_id == practice.id, PracticeVersion.author_id.is_not(None),
        PracticeVersion.status == Status.DRAFT.value)
    writers = User.id.in_(drafted)
    if practice.created_by_id:
        writers = or_(writers, User.id == practice.created_by_id)
    return db.session.scalars(select(User).where(
        User.active.is_(True), or_(*clauses), not_(writers)).order_by(User.name)).all()
