"""`seed_scale(factor)`: a realistic synthetic region for the performance benchmark.

Factor 1 is the real region (567 organisations, about 1,500 people, 1,000 threads, 10,000
posts); factor 10 ten times that. Rows are written in bulk with Core `insert()` and ids
chosen here (after the current maximum), so that children refer to parents without
round-trips; no signal fires, so nobody is emailed, and the counters, the search index,
subscriptions and notifications are written directly, as the app would have left them.

Each feature adds its part as a seeder `(ctx, factor)`: a function in bench/scale/<feature>.py
listed in `_default_seeders`, or registered from anywhere with
`register_seeder("pratiche", seed_practices)` (it runs after the built-in steps). A seeder
reads what the earlier ones left in `ctx` (people, spaces and their members, `extra["threads"]`),
takes ids with `ctx.new_ids(table, n)` (PostgreSQL sequences are reset at the end for every
table it took ids of) and writes with `ctx.insert(table, rows)`. Never commits: the command
does, once.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, insert, select, text

from cop.auth.models import User
from cop.database import utcnow
from cop.extensions import db

SEED = 2026
MIN_FACTOR = 0.01  # below, some ATS have nobody to coordinate their space
BENCHMARK_PASSWORD = "Benchmark-cop-2026"
CHUNK = 5000
LONG_THREAD_REPLIES = 520
NOTIFICATIONS_PER_PERSON = 20
EMAIL_DOMAIN = "esempio.it"


class ScaleRefused(Exception):
    """The database is not empty of people: seeding would mix with real or demo data."""


@dataclass
class Person:
    id: int
    email: str
    handle: str
    organisation_id: int
    ats_id: int | None
    site_role: str


@dataclass
class SpaceInfo:
    id: int
    slug: str
    kind: str
    visibility: str
    ats_id: int | None
    alleanza_id: int | None
    members: dict[int, str] = field(default_factory=dict)  # user id -> role, in join order

    @property
    def regional(self) -> bool:
        return self.visibility == "regionale"


@dataclass
class ScaleContext:
    """What the seeders share: options, the random generator, ids, and what was written."""

    factor: float
    rng: random.Random
    now: datetime
    echo: Callable[[str], None]
    password_hash: str
    long_thread_replies: int = LONG_THREAD_REPLIES
    notifications_per_person: int = NOTIFICATIONS_PER_PERSON
    people: list[Person] = field(default_factory=list)
    spaces: list[SpaceInfo] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # table -> rows written
    facts: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # seeders' hand-over to later seeders
    _next_ids: dict[str, int] = field(default_factory=dict)

    def scaled(self, n: float, minimum: int = 1) -> int:
        return max(minimum, round(n * self.factor))

    def new_ids(self, table, count: int) -> range:
        """`count` fresh primary keys for `table`, after those already in the database."""
        name = table.name
        if name not in self._next_ids:
            self._next_ids[name] = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
        start = self._next_ids[name]
        self._next_ids[name] = start + count
        return range(start, start + count)

    def insert(self, table, rows: list[dict]) -> int:
        """Writes rows in chunks of CHUNK with executemany; returns how many."""
        table = getattr(table, "__table__", table)
        for start in range(0, len(rows), CHUNK):
            db.session.execute(insert(table), rows[start:start + CHUNK])
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
        return len(rows)


Seeder = Callable[[ScaleContext, float], None]
SEEDERS: list[tuple[str, Seeder]] = []


def register_seeder(name: str, seeder: Seeder) -> None:
    """Adds a step at the end (later features: practices, meetings, skills profiles)."""
    SEEDERS[:] = [(n, s) for n, s in SEEDERS if n != name] + [(name, seeder)]


def _default_seeders() -> None:
    """The built-in steps go first, before any that a feature registered on import."""
    from bench.scale import directory, discussions, meetings, network, notifications, practices

    present = {name for name, _ in SEEDERS}
    SEEDERS[:0] = [(name, seeder) for name, seeder in
                   [*network.SEEDERS, *discussions.SEEDERS, *notifications.SEEDERS,
                    *practices.SEEDERS, *meetings.SEEDERS, *directory.SEEDERS]
                   if name not in present]


def refuse_if_not_empty() -> None:
    people = db.session.scalar(select(func.count()).select_from(User))
    if people:
        raise ScaleRefused(
            f"Il database contiene già {people} persone (dati reali, dimostrativi o di un "
            f"bench.scale precedente): bench.scale lavora solo su un database senza persone. "
            f"Usa un database nuovo (flask db upgrade).")


def seed_scale(factor: float, *, echo: Callable[[str], None] = lambda line: None,
               long_thread_replies: int = LONG_THREAD_REPLIES,
               notifications_per_person: int = NOTIFICATIONS_PER_PERSON,
               seed: int = SEED) -> ScaleContext:
    """Fills an empty (migrated) database; returns the context with counts and facts."""
    from bench.scale.text import Writer
    from cop.auth.passwords import hash_password
    from cop.reference.services import load_reference

    if factor < MIN_FACTOR:
        raise ValueError(f"factor must be at least {MIN_FACTOR}")
    refuse_if_not_empty()
    started = time.perf_counter()
    load_reference()
    db.session.flush()
    ctx = ScaleContext(factor=factor, rng=random.Random(seed), now=utcnow().replace(microsecond=0),
                       echo=echo, password_hash=hash_password(BENCHMARK_PASSWORD),
                       long_thread_replies=long_thread_replies,
                       notifications_per_person=notifications_per_person)
    echo(f"Dati di riferimento pronti ({time.perf_counter() - started:.1f} s)")
    step = time.perf_counter()
    writer = Writer(ctx.rng, pool_size=min(40000, 3000 + round(1500 * factor)))
    if not writer.self_test():
        echo("  attenzione: l'HTML composto non coincide con render_markdown: "
             "rendo ogni messaggio per intero (più lento)")
    ctx.extra["writer"] = writer
    echo(f"  testi: {len(writer.pool)} frasi in {time.perf_counter() - step:.1f} s")
    _default_seeders()
    for name, seeder in SEEDERS:
        step = time.perf_counter()
        before = sum(ctx.counts.values())
        seeder(ctx, factor)
        db.session.flush()
        echo(f"  {name}: {sum(ctx.counts.values()) - before} righe "
             f"in {time.perf_counter() - step:.1f} s")
    reset_sequences(ctx)
    # Fresh statistics for the query planner, as after any bulk import: PostgreSQL's
    # autovacuum would take them soon; SQLite takes them only when asked.
    db.session.execute(text("ANALYZE"))
    ctx.facts.update(password=BENCHMARK_PASSWORD, factor=factor,
                     seconds=round(time.perf_counter() - started, 1))
    return ctx


def reset_sequences(ctx: ScaleContext) -> None:
    """PostgreSQL: the serial sequences continue after the ids chosen here."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for name in ctx._next_ids:
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {name}))"))
