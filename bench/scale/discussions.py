"""Threads and their posts, tags, «mi è utile», read markers and the search index.

Every thread is planned in memory first, reply by reply, the way `discussions.services.reply`
builds it: the tree parent's `child_count` gives the new post its sort_key segment, replies to
a post at MAX_TREE_DEPTH hang beside it, and the thread's counters follow. Then ids are given
in time order (threads by creation, posts by creation) and everything is written in bulk.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import bindparam, select, update

from bench.scale import words
from bench.scale.network import largest_remainder
from bench.scale.services import ScaleContext, SpaceInfo
from cop.discussions.models import (
    MAX_TREE_DEPTH,
    SORT_KEY_WIDTH,
    Post,
    PostUseful,
    Tag,
    Thread,
    ThreadRead,
    thread_tags,
)
from cop.discussions.services import render_post
from cop.extensions import db
from cop.search import services as search
from cop.search.models import SearchEntry
from cop.spaces.models import SpaceKind

DAY = 86400
KINDS = {"domanda": 35, "esperienza": 35, "proposta": 15, "avviso": 15}
MENTIONS = ["hai i dati di {place}?", "ci sei al prossimo incontro?",
            "puoi condividere {tool}?", "ne parliamo al tavolo su {problem}?"]


@dataclass(slots=True)
class PlannedPost:
    local: int  # position in the thread, in order of writing
    author_id: int
    created_at: datetime
    parent: int | None  # local index of the tree parent
    reply_to: int | None  # local index of the post answered
    depth: int
    sort_key: str
    body: str = ""
    body_html: str = ""
    child_count: int = 0
    deleted_at: datetime | None = None
    mentioned: list[int] = field(default_factory=list)
    useful: list[tuple[int, datetime]] = field(default_factory=list)
    id: int = 0


@dataclass
class PlannedThread:
    space: SpaceInfo
    kind: str
    replies: int
    created_at: datetime
    span: float  # seconds over which the replies come
    role: str = ""  # "long", "busy" or ""
    title: str = ""
    tags: list[str] = field(default_factory=list)
    cast: list[int] = field(default_factory=list)
    posts: list[PlannedPost] = field(default_factory=list)
    pinned: bool = False
    locked: bool = False
    answer: int | None = None  # local index
    outcome: str = ""
    id: int = 0

    @property
    def visible(self) -> list[PlannedPost]:
        return [p for p in self.posts if p.deleted_at is None]

    @property
    def last(self) -> PlannedPost:
        return max(self.visible, key=lambda p: (p.created_at, p.local))


def _space_weights(ctx: ScaleContext, spaces: list[SpaceInfo], busy: SpaceInfo) -> list[float]:
    """A few busy spaces, many quiet ones."""
    return [len(s.members) ** 0.6 * ctx.rng.lognormvariate(0, 0.8) * (3 if s is busy else 1)
            for s in spaces]


def _plan(ctx: ScaleContext) -> list[PlannedThread]:
    rng, now = ctx.rng, ctx.now
    busy = ctx.extra["busy_space"]
    spaces = [s for s in ctx.spaces if len(s.members) >= 2]
    total = ctx.scaled(1000, minimum=5)
    long_replies = ctx.long_thread_replies
    alleanza = max((s for s in spaces if s.kind == SpaceKind.ALLEANZA.value),
                   key=lambda s: (len(s.members), -s.id))
    thematic = max((s for s in spaces if s.kind == SpaceKind.THEMATIC.value),
                   key=lambda s: (len(s.members), -s.id))
    start_long = now - timedelta(days=400)
    plans = [PlannedThread(space, "esperienza", long_replies,
                           start_long - timedelta(seconds=rng.randrange(90 * DAY)), 0, "long")
             for space in (busy, alleanza, thematic)]
    for plan in plans:
        plan.span = (now - plan.created_at).total_seconds() - 7200
    plans.append(PlannedThread(busy, "esperienza", 0, now - timedelta(days=4),
                               4 * DAY - 600, "busy"))
    chosen = rng.choices(spaces, weights=_space_weights(ctx, spaces, busy), k=total - 4)
    kinds = rng.choices(list(KINDS), weights=list(KINDS.values()), k=len(chosen))
    budget = max(0, ctx.scaled(10000) - total - 3 * long_replies)
    shares = largest_remainder([rng.lognormvariate(0, 1.1) for _ in range(len(chosen) + 1)],
                               budget)
    plans[3].replies = max(25, shares.pop())
    for space, kind, replies in zip(chosen, kinds, shares):
        created = now - timedelta(seconds=rng.randrange(7200, 730 * DAY))
        remaining = (now - created).total_seconds() - 60
        span = min(remaining, rng.expovariate(1 / ((2 + 0.3 * replies) * DAY)))
        plans.append(PlannedThread(space, kind, replies, created, span))
    return plans


def _cast(ctx: ScaleContext, plan: PlannedThread) -> list[int]:
    """Who writes in the thread: members of the space (the more active more likely); in a
    regional space one in ten may come from anywhere."""
    rng, activity = ctx.rng, ctx.extra["activity"]
    pool = list(plan.space.members)
    size = min(len(pool), 2 + int(math.sqrt(plan.replies) * 1.5) + rng.randint(0, 2))
    picked = list(dict.fromkeys(rng.choices(pool, weights=[activity[u] for u in pool],
                                            k=size * 3)))[:size]
    if plan.space.regional:
        people = ctx.people
        picked = [rng.choice(people).id if rng.random() < 0.1 else u for u in picked]
        picked = list(dict.fromkeys(picked))
    return picked if len(picked) >= 2 else pool[:2]


def _write_thread(ctx: ScaleContext, plan: PlannedThread, leads: dict) -> None:
    rng, writer = ctx.rng, ctx.extra["writer"]
    handles = ctx.extra["handles"]
    plan.cast = _cast(ctx, plan)
    plan.title = writer.title(plan.kind)
    plan.tags = rng.sample(words.TAGS, rng.choices((0, 1, 2, 3), weights=(30, 40, 20, 10))[0])
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(plan.cast))]
    offsets = sorted(rng.uniform(60, max(61.0, plan.span)) for _ in range(plan.replies))
    if plan.role == "busy" and offsets:  # the latest activity of its space
        offsets[-1] = plan.span
    opening = PlannedPost(0, plan.cast[0], plan.created_at, None, None, 0, "")
    posts = [opening]
    for local, offset in enumerate(offsets, start=1):
        roll = rng.random()
        answered = 0 if roll < 0.5 or local == 1 else local - 1 if roll < 0.85 \
            else rng.randrange(local)
        author = rng.choices(plan.cast, weights=weights)[0]
        for _ in range(3):  # people rarely answer themselves
            if author != posts[answered].author_id:
                break
            author = rng.choices(plan.cast, weights=weights)[0]
        parent = posts[answered]
        if parent.depth >= MAX_TREE_DEPTH:  # deep chains continue beside their parent
            parent = posts[parent.parent] if parent.parent is not None else opening
        parent.child_count += 1
        segment = str(parent.child_count).zfill(SORT_KEY_WIDTH)
        posts.append(PlannedPost(
            local, author, plan.created_at + timedelta(seconds=int(offset)), parent.local,
            answered, parent.depth + 1,
            f"{parent.sort_key}.{segment}" if parent.sort_key else segment))
    plan.posts = posts
    for post in posts:
        lead = leads.get((id(plan), post.local))
        render = None
        if lead is None and post.local and rng.random() < 0.02:
            earlier = [p.author_id for p in posts[:post.local] if p.author_id != post.author_id]
            if earlier:
                target = rng.choice(earlier)
                user = SimpleNamespace(id=target, handle=handles[target])
                sentence = f"@{user.handle} {writer.sentence(rng.choice(MENTIONS))}"
                html = render_post(sentence, [user])
                lead = (sentence, writer.inline(sentence, html))
                render = lambda markdown, user=user: render_post(markdown, [user])  # noqa: E731
                post.mentioned = [target]
        elif lead is None and rng.random() < 0.004:
            sentence = writer.sentence(rng.choice(words.UNCOMMON_SENTENCES))
            lead = (sentence, writer.inline(sentence))
        post.body, post.body_html = writer.body(lead, render)
    _finish(ctx, plan)


def _finish(ctx: ScaleContext, plan: PlannedThread) -> None:
    """Deleted replies, the answer of a question, the outcome of a proposal, «mi è utile»."""
    rng, now = ctx.rng, ctx.now
    answered = {p.reply_to for p in plan.posts} | {p.parent for p in plan.posts}
    for post in plan.posts[1:]:
        if post.local not in answered and plan.role != "long" and rng.random() < 0.01:
            post.deleted_at = min(now, post.created_at + timedelta(
                seconds=rng.randrange(600, 2 * DAY)))
    firsts = [p for p in plan.visible if p.depth == 1]
    if plan.kind == "domanda" and firsts and rng.random() < 0.4:
        plan.answer = rng.choice(firsts).local
    if plan.kind == "proposta" and len(plan.posts) > 1 and rng.random() < 0.3:
        plan.outcome = ctx.extra["writer"].sentence(rng.choice(words.OUTCOMES))
    readers = list(plan.space.members)
    for post in plan.visible:
        if rng.random() < 0.2:
            count = rng.choices((1, 2, 3, 4, 6), weights=(40, 25, 15, 12, 8))[0]
            fans = [u for u in dict.fromkeys(rng.choices(readers, k=count * 2))
                    if u != post.author_id][:count]
            post.useful = [(u, min(now, post.created_at + timedelta(
                seconds=rng.randrange(3600, 5 * DAY)))) for u in fans]


def seed_discussions(ctx: ScaleContext, factor: float) -> None:
    """1,000·f threads (three of `long_thread_replies` replies: in the busiest ATS space, in
    the largest Alleanza space and in the largest thematic space) with 10,000·f posts."""
    rng, writer = ctx.rng, ctx.extra["writer"]
    ctx.extra["activity"] = {p.id: rng.lognormvariate(0, 1) for p in ctx.people}
    ctx.extra["handles"] = {p.id: p.handle for p in ctx.people}
    plans = _plan(ctx)
    # The rare word opens a few threads of regional spaces, so that a plain member finds them.
    regional = [p for p in plans if p.space.regional and not p.role]
    rare_count = min(len(regional), ctx.scaled(4, minimum=3))
    leads = {}
    for plan in rng.sample(regional, rare_count):
        sentence = writer.sentence(words.RARE_SENTENCES[0])
        leads[(id(plan), 0)] = (sentence, writer.inline(sentence))
    for plan in plans:
        _write_thread(ctx, plan, leads)
    pinned_spaces = set()
    for plan in sorted(plans, key=lambda p: p.created_at):
        if plan.kind == "avviso" and plan.space.id not in pinned_spaces and not plan.role:
            pinned_spaces.add(plan.space.id)
            plan.pinned = rng.random() < 0.5
        elif not plan.role and rng.random() < 0.01:
            plan.locked = True
    _write(ctx, plans)
    ctx.extra["threads"] = plans
    _facts(ctx, plans, rare_count)


def _write(ctx: ScaleContext, plans: list[PlannedThread]) -> None:
    plans.sort(key=lambda p: p.created_at)
    for plan, thread_id in zip(plans, ctx.new_ids(Thread.__table__, len(plans))):
        plan.id = thread_id
    posts = sorted(((post.created_at, plan.id, post.local, post, plan) for plan in plans
                    for post in plan.posts), key=lambda item: item[:3])
    for (*_, post, _plan), post_id in zip(posts, ctx.new_ids(Post.__table__, len(posts))):
        post.id = post_id

    existing = dict(db.session.execute(select(Tag.name, Tag.id)).all())
    missing = [name for name in words.TAGS if name not in existing]
    tag_rows = [{"id": i, "name": n} for i, n in zip(ctx.new_ids(Tag.__table__, len(missing)),
                                                     missing)]
    ctx.insert(Tag, tag_rows)
    existing.update({r["name"]: r["id"] for r in tag_rows})
    order = {name: n for n, name in enumerate(db.session.scalars(  # the database's collation
        select(Tag.name).order_by(Tag.name)))}
    for plan in plans:
        plan.tags.sort(key=order.__getitem__)

    writer = ctx.extra["writer"]
    thread_rows = []
    for plan in plans:
        last = plan.last
        outcome_at = min(ctx.now, last.created_at + timedelta(hours=2)) if plan.outcome else None
        thread_rows.append({
            "id": plan.id, "space_id": plan.space.id, "author_id": plan.posts[0].author_id,
            "title": plan.title, "kind": plan.kind, "created_at": plan.created_at,
            "last_activity_at": last.created_at, "last_poster_id": last.author_id,
            "post_count": len(plan.posts), "reply_count": len(plan.visible) - 1,
            "pinned": plan.pinned, "locked": plan.locked, "hidden": False, "hidden_reason": "",
            "answer_post_id": None, "outcome": plan.outcome,
            "outcome_html": writer.rendered(plan.outcome) if plan.outcome else "",
            "outcome_by_id": plan.posts[0].author_id if plan.outcome else None,
            "outcome_at": outcome_at})
    ctx.insert(Thread, thread_rows)
    ctx.insert(thread_tags, [{"thread_id": plan.id, "tag_id": existing[name]}
                             for plan in plans for name in plan.tags])
    post_rows = []
    for *_, post, plan in posts:
        parent = plan.posts[post.parent].id if post.parent is not None else None
        reply_to = plan.posts[post.reply_to].id if post.reply_to is not None else None
        post_rows.append({
            "id": post.id, "thread_id": plan.id, "author_id": post.author_id,
            "parent_id": parent, "reply_to_id": reply_to, "depth": post.depth,
            "sort_key": post.sort_key, "child_count": post.child_count, "body": post.body,
            "body_html": post.body_html, "created_at": post.created_at, "edited_at": None,
            "revision_count": 0, "deleted_at": post.deleted_at, "hidden": False,
            "hidden_reason": "", "useful_count": len(post.useful), "attachment_count": 0})
    ctx.insert(Post, post_rows)
    answers = [{"b_id": plan.id, "b_answer": plan.posts[plan.answer].id}
               for plan in plans if plan.answer is not None]
    if answers:
        table = Thread.__table__
        db.session.execute(update(table).where(table.c.id == bindparam("b_id"))
                           .values(answer_post_id=bindparam("b_answer")), answers)
    ctx.insert(PostUseful, [{"post_id": post.id, "user_id": user_id, "created_at": when}
                            for *_, post, _plan_ in posts for user_id, when in post.useful])


def _facts(ctx: ScaleContext, plans: list[PlannedThread], rare_count: int) -> None:
    busy = ctx.extra["busy_space"]
    latest = max((p for p in plans if p.space is busy and not p.locked),
                 key=lambda p: (p.last.created_at, p.id))
    ctx.facts["busy_thread"] = {"slug": busy.slug, "id": latest.id, "title": latest.title,
                                "post_count": len(latest.posts)}
    long = [{"slug": p.space.slug, "id": p.id, "post_count": len(p.posts),
             "reply_count": len(p.visible) - 1, "visibility": p.space.visibility}
            for p in plans if p.role == "long"]
    ctx.facts["long_threads"] = long
    ctx.facts["long_thread"] = next(t for t in long if t["slug"] == busy.slug)
    ctx.facts["writers"] = [p.email for p in ctx.people
                            if p.id in busy.members and p.site_role == "membro"][:32]
    ctx.facts.update(rare_word=words.RARE_WORD, rare_word_documents=rare_count,
                     common_word=words.COMMON_WORD)


def seed_reads(ctx: ScaleContext, factor: float) -> None:
    """What each writer had seen at their last post (as `mark_read` leaves it), and a few
    readers per thread at some later moment."""
    rng, now = ctx.rng, ctx.now
    rows = []
    for plan in ctx.extra["threads"]:
        seen: dict[int, tuple[int, datetime]] = {}
        for post in plan.posts:
            seen[post.author_id] = (post.local + 1, post.created_at)
        times = [p.created_at for p in plan.posts]
        members = list(plan.space.members)
        for user_id in rng.sample(members, min(len(members), rng.randint(0, 8))):
            if user_id not in seen:
                when = plan.created_at + (now - plan.created_at) * rng.random()
                seen[user_id] = (bisect.bisect_right(times, when), when)
        rows += [{"user_id": u, "thread_id": plan.id, "seen_post_count": count,
                  "read_at": when} for u, (count, when) in seen.items()]
    ctx.insert(ThreadRead, rows)


def seed_search(ctx: ScaleContext, factor: float) -> None:
    """The index as `search.services.reindex_discussions` builds it: the visible posts in id
    order, with the same row values (the search package's own helper)."""
    visible = sorted(((post, plan) for plan in ctx.extra["threads"] for post in plan.visible),
                     key=lambda item: item[0].id)
    rows = []
    for post, plan in visible:
        thread = SimpleNamespace(id=plan.id, space_id=plan.space.id, title=plan.title,
                                 kind=plan.kind)
        doc = SimpleNamespace(thread_id=plan.id, id=post.id, author_id=post.author_id,
                              created_at=post.created_at, body_html=post.body_html,
                              deleted_at=post.deleted_at, is_opening=post.depth == 0)
        rows.append(search.discussion_entry(thread, doc, plan.tags))
    for row, entry_id in zip(rows, ctx.new_ids(SearchEntry.__table__, len(rows))):
        row["id"] = entry_id
    ctx.insert(SearchEntry, rows)


SEEDERS = [("discussioni", seed_discussions), ("letture", seed_reads),
           ("indice di ricerca", seed_search)]
