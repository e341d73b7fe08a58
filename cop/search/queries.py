"""Searching the index: the same question on SQLite (FTS5, bm25) and PostgreSQL (tsvector,
ts_rank_cd), filtered in SQL to the spaces the person may see. Two statements per search (the
count and the page), whatever the number of hits."""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import get_timezone
from markupsafe import Markup
from sqlalchemy import (
    String,
    and_,
    bindparam,
    case,
    column,
    distinct,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)

from cop import access
from cop.auth.models import User
from cop.extensions import db
from cop.pagination import PageNumbers
from cop.search.models import SearchEntry
from cop.search.text import Term, fts5_query, highlight, snippet, terms, tsquery
from cop.spaces.models import Space

# A word in most documents matches tens of thousands of them: then only the newest CANDIDATES
# matches are counted and ranked ("more than 1,000 results"), which keeps such a search as
# fast as a selective one; nobody reads past the first pages of a common word.
CANDIDATES = 1000
TITLE_WEIGHT = 10.0  # SQLite bm25: a word in the title counts ten times one in the body
THREAD_DOCS = ("thread", "post")  # a discussion's documents, grouped under their thread
REPLIES_SHOWN = 3  # matching replies listed under their thread
_fts = table("search_fts", column("rowid"))


@dataclass
class Hit:
    doc_type: str
    doc_id: int
    thread_id: int | None
    space_id: int
    space_name: str
    space_slug: str
    title: str
    title_html: Markup
    snippet_html: Markup
    kind: str
    tags: list[str]
    author_id: int | None
    author_name: str | None
    created_at: datetime
    score: float
    replies: list[Hit] = field(default_factory=list)  # a thread's matching replies (grouped)
    more_replies: int = 0  # matching replies not listed
    label: str = ""  # what to say beside the title (an archived record: «Archiviata»)


@dataclass
class SearchPage(PageNumbers):
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    terms: list[Term] = field(default_factory=list)
    capped: bool = False  # more matches than CANDIDATES: `total` counts the newest ones
    matches: int = 0  # documents found (grouped by thread, `total` counts the results)


def normalise_tag(tag: str) -> str:
    """As discussions store tags: lower case, no leading #, single spaces."""
    return " ".join((tag or "").strip().lower().lstrip("#").split())[:40]


def day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the reader's time zone (Europe/Rome)."""
    return datetime.combine(day, time.min, tzinfo=get_timezone())


def text_match(found: list[Term], doc_type: str | None = None):
    """(condition, score) on search_entries for the words `found` (in documents of `doc_type`
    if given): FTS5 MATCH and bm25 on SQLite, tsvector @@ and ts_rank_cd on PostgreSQL;
    (None, 0) when there are no words. A statement using them must go through `join_text`."""
    if not found:
        return None, literal(0.0)
    if db.engine.dialect.name == "postgresql":
        tsv = literal_column("search_entries.tsv")
        # The words go into the statement's text, not as a parameter: PostgreSQL then plans
        # each search for its own words. A prepared statement's generic plan (see
        # cop.database) fits a rare word or one in most documents, not both.
        words = bindparam(None, tsquery(found), type_=String, literal_execute=True)
        query = func.to_tsquery(literal_column("'italian'::regconfig"), words)
        match = tsv.op("@@")(query)
        if doc_type:
            match = and_(SearchEntry.doc_type == doc_type, match)
        return match, func.ts_rank_cd(tsv, query, 1)
    return (literal_column("search_fts").op("MATCH")(fts5_query(found, doc_type)),
            -func.bm25(literal_column("search_fts"), TITLE_WEIGHT, 1.0, 0.0))


def matching_entry_ids(found: list[Term], doc_type: str | None = None):
    """A select of the ids of the index entries that match `found` (of `doc_type` if given),
    for `SearchEntry.id.in_()`.

    On SQLite the FTS5 table drives: the database reads the words' posting lists once and keeps
    the ids, whereas a MATCH joined row by row (e.g. beside a filter on the document type) reads
    a common word's whole posting list again for every row."""
    if db.engine.dialect.name == "postgresql":
        return select(SearchEntry.id).where(text_match(found, doc_type)[0])
    return select(_fts.c.rowid).where(
        literal_column("search_fts").op("MATCH")(fts5_query(found, doc_type)))


def join_text(statement):
    """Joins the SQLite FTS5 table that `text_match` reads (nothing to join on PostgreSQL)."""
    if db.engine.dialect.name == "postgresql":
        return statement
    return statement.join(_fts, _fts.c.rowid == SearchEntry.id)


_AUDIENCES: dict[str, Callable] = {}
_LABELS: dict[str, Callable[[list[int]], dict[int, str]]] = {}


def register_label(doc_type: str, labels: Callable[[list[int]], dict[int, str]]) -> None:
    """`labels(doc_ids)` says what to show beside the title of some of these results of
    `doc_type` (one statement for a page), e.g. the records that are archived."""
    _LABELS[doc_type] = labels


def register_audience(doc_type: str, readable) -> None:
    """Documents of `doc_type` are read by whoever `readable(user)` (a SQL condition on
    SearchEntry, built from cop.access) admits, instead of the readers of their space."""
    _AUDIENCES[doc_type] = readable


def readable_entries_clause(user):
    """SQL condition on SearchEntry: the documents `user` may read. Discussions follow their
    space (hidden threads and posts are not indexed); other features say who reads theirs."""
    clauses = [and_(SearchEntry.doc_type.not_in(list(_AUDIENCES)),
                    access.visible_spaces_clause(user))]
    clauses += [and_(SearchEntry.doc_type == doc_type, readable(user))
                for doc_type, readable in _AUDIENCES.items()]
    return or_(*clauses)


def search(user, text: str, *, space_id: int | None = None, kind: str | None = None,
           tag: str | None = None, author: str | int | None = None,
           date_from: date | None = None, date_to: date | None = None,
           page: int = 1, per_page: int = 20, group_threads: bool = False) -> SearchPage:
    """Documents `user` may see that contain every meaningful word of `text` (or, with no text,
    that match the filters, newest first). `author` is a user id, part of a name or a handle
    (@nome.cognome); the dates are days in the reader's time zone, both included.
    `group_threads`: one result per thread, its matching replies in `Hit.replies` (the
    count and the pages count threads)."""
    found = terms(text)
    if (text or "").strip() and not found:  # only stop words: nothing to look for
        return SearchPage([], 0, 1, per_page, found)
    postgresql = db.engine.dialect.name == "postgresql"
    match, score = text_match(found)

    def scoped(statement):
        statement = statement.join(Space, Space.id == SearchEntry.space_id).where(
            readable_entries_clause(user))
        if match is not None:
            statement = join_text(statement).where(match)
        return _filtered(statement, space_id, kind, tag, author, date_from, date_to)

    threshold = None  # the id of the CANDIDATES-th newest match, when there are more
    if match is not None:
        probe = select(SearchEntry.id).where(match) if postgresql else \
            select(_fts.c.rowid.label("id")).where(match)
        threshold = db.session.scalar(probe.order_by(literal_column("id").desc())
                                      .offset(CANDIDATES - 1).limit(1))
    capped = threshold is not None

    def candidates(statement):
        statement = scoped(statement)
        if not capped:
            return statement
        if not postgresql:  # said on the FTS5 table too, its scan starts there
            statement = statement.where(_fts.c.rowid >= threshold)
        return statement.where(SearchEntry.id >= threshold)

    if match is not None:  # at most CANDIDATES matches: ranked in one pass
        return _ranked_page(candidates, score, found, page, per_page, capped, group_threads)
    if group_threads:
        return _newest_groups(candidates, page, per_page)
    total = db.session.scalar(candidates(select(func.count()).select_from(SearchEntry)))
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    order = [score.desc(), SearchEntry.created_at.desc()] if found \
        else [SearchEntry.created_at.desc()]
    statement = candidates(select(SearchEntry, Space.name, Space.slug,
                                  User.name.label("author_name"), score.label("score"))
                           .select_from(SearchEntry))
    rows = db.session.execute(
        statement.outerjoin(User, User.id == SearchEntry.author_id)
        .order_by(*order, SearchEntry.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all() if total else []
    hits = _labelled([_hit(row, found) for row in rows])
    return SearchPage(hits, total, page, per_page, found, capped)


def _narrow(score):
    return select(SearchEntry.id, score.label("score"), SearchEntry.created_at,
                  SearchEntry.doc_type, SearchEntry.thread_id).select_from(SearchEntry)


def _in_thread(row) -> bool:
    return row.doc_type in THREAD_DOCS and row.thread_id is not None


def _groups(rows) -> list[list]:
    """The rows by thread (one group per thread; other documents alone), each group's best
    first, the groups in the rows' order of their best."""
    groups: dict[tuple, list] = {}
    for row in rows:
        key = ("thread", row.thread_id) if _in_thread(row) else ("entry", row.id)
        groups.setdefault(key, []).append(row)
    return list(groups.values())


def _ranked_page(candidates, score, found: list[Term], page: int, per_page: int,
                 capped: bool, group_threads: bool = False) -> SearchPage:
    """A text search's page. Its candidates are bounded (fewer than CANDIDATES matches, or the
    newest CANDIDATES), so their ids and scores are read in one statement and ordered here,
    and the page's entries loaded by id: one ranking pass instead of a count and a sort."""
    ranked = db.session.execute(candidates(_narrow(score))).all()
    ranked.sort(key=lambda r: (r.score, r.created_at, r.id), reverse=True)
    groups = _groups(ranked) if group_threads else [[r] for r in ranked]
    total = len(groups)
    page = min(max(page, 1), max(1, math.ceil(total / per_page)))
    hits = _group_hits(groups[(page - 1) * per_page:page * per_page], found, group_threads)
    return SearchPage(hits, total, page, per_page, found, capped, len(ranked))


def _newest_groups(candidates, page: int, per_page: int) -> SearchPage:
    """A search with filters and no words, by thread: the threads (and other documents) with
    the newest matching entry first: the count of groups, the page's groups, their matching
    entries (narrow rows), then the page's entries; a fixed number whatever the data."""
    key = case((and_(SearchEntry.doc_type.in_(THREAD_DOCS), SearchEntry.thread_id.is_not(None)),
                SearchEntry.thread_id), else_=-SearchEntry.id)
    total = db.session.scalar(candidates(select(func.count(distinct(key)))
                                         .select_from(SearchEntry)))
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    last = func.max(SearchEntry.created_at)
    keys = db.session.scalars(candidates(select(key).select_from(SearchEntry)).group_by(key)
                              .order_by(last.desc(), func.max(SearchEntry.id).desc())
                              .limit(per_page).offset((page - 1) * per_page)).all()
    if not keys:
        return SearchPage([], total, page, per_page)
    order = {k: n for n, k in enumerate(keys)}
    rows = db.session.execute(candidates(_narrow(literal(0.0))).where(key.in_(keys))).all()
    rows.sort(key=lambda r: (order[r.thread_id if _in_thread(r) else -r.id],
                             -r.created_at.timestamp(), -r.id))
    return SearchPage(_group_hits(_groups(rows), []), total, page, per_page)


def _group_hits(groups: list[list], found: list[Term], grouped: bool = True) -> list[Hit]:
    """The page's results (one statement). Grouped, a thread's result is its opening post
    (loaded even when only replies matched) with up to REPLIES_SHOWN matching replies."""
    wanted, threads = set(), set()
    for group in groups:
        wanted.update(r.id for r in group[:REPLIES_SHOWN + 1])
        if grouped and _in_thread(group[0]):
            threads.add(group[0].thread_id)
    if not groups:
        return []
    opening = and_(SearchEntry.doc_type == "thread", SearchEntry.doc_id.in_(threads))
    loaded = db.session.execute(
        select(SearchEntry, Space.name, Space.slug, User.name.label("author_name"))
        .join(Space, Space.id == SearchEntry.space_id)
        .outerjoin(User, User.id == SearchEntry.author_id)
        .where(or_(SearchEntry.id.in_(wanted), opening) if threads
               else SearchEntry.id.in_(wanted))).all()
    rows = {row.SearchEntry.id: row for row in loaded}
    openings = {row.SearchEntry.doc_id: row for row in loaded
                if row.SearchEntry.doc_type == "thread"}
    hits = []
    for group in groups:
        best = group[0]
        if not grouped or not _in_thread(best):
            if best.id in rows:
                hits.append(_hit(rows[best.id], found, best.score))
            continue
        replies = [r for r in group if r.doc_type == "post"]
        head_row = openings.get(best.thread_id)
        if head_row is None:  # the opening post is gone: the best reply leads
            head_row, replies = rows.get(replies[0].id), replies[1:]
        if head_row is None:
            continue
        head = _hit(head_row, found, best.score)
        head.replies = [_hit(rows[r.id], found, r.score) for r in replies[:REPLIES_SHOWN]
                        if r.id in rows]
        head.more_replies = len(replies) - len(head.replies)
        hits.append(head)
    return _labelled(hits)


def _labelled(hits: list[Hit]) -> list[Hit]:
    """Sets the labels other features give their results (one statement per such feature)."""
    for doc_type, labels in _LABELS.items():
        ids = [h.doc_id for h in hits if h.doc_type == doc_type]
        found = labels(ids) if ids else {}
        for hit in hits:
            if hit.doc_type == doc_type:
                hit.label = found.get(hit.doc_id, "")
    return hits


def _filtered(statement, space_id, kind, tag, author, date_from, date_to):
    if space_id:
        statement = statement.where(SearchEntry.space_id == space_id)
    if kind:
        statement = statement.where(SearchEntry.kind == kind)
    tag = normalise_tag(tag or "")
    if tag:
        lines = literal("\n") + SearchEntry.tags + literal("\n")
        statement = statement.where(lines.contains(f"\n{tag}\n", autoescape=True))
    if isinstance(author, int):
        statement = statement.where(SearchEntry.author_id == author)
    elif author and author.strip():
        wanted = author.strip().lower()
        statement = statement.where(SearchEntry.author_id.in_(select(User.id).where(
            func.lower(User.name).contains(wanted, autoescape=True)
            | (User.handle == wanted.lstrip("@")))))
    if date_from:
        statement = statement.where(SearchEntry.created_at >= day_start(date_from))
    if date_to and date_to < date.max:
        statement = statement.where(SearchEntry.created_at < day_start(date_to + timedelta(days=1)))
    return statement


def _hit(row, found: list[Term], score: float | None = None) -> Hit:
    entry = row.SearchEntry
    return Hit(
        doc_type=entry.doc_type, doc_id=entry.doc_id, thread_id=entry.thread_id,
        space_id=entry.space_id, space_name=row.name, space_slug=row.slug, title=entry.title,
        title_html=highlight(entry.title, found), snippet_html=snippet(entry.body, found),
        kind=entry.kind, tags=[t for t in entry.tags.split("\n") if t],
        author_id=entry.author_id, author_name=row.author_name, created_at=entry.created_at,
        score=float((row.score if score is None else score) or 0),
    )
