"""`make bench-cpu`: CPU time per request, in process, against a lean reference app.

For each database: build or reuse the factor-N database as bench/run.py does (`prepare`),
then in this one process create the platform (`cop.create_app` on that database, testing
off, CSRF on, the X-SQL-Statements header on) and the lean reference of bench/reference/
(the same pages' content, same database, nothing else); sign in as the same plain member in
a test client of each; for each page warm up, check the answer (200 and the content expected:
the thread's title, the 50th post's author, ...: a broken page cannot look fast), then time
`time.process_time()` around each request, ROUNDS rounds of REQUESTS requests (3 × 200;
--quick: 3 × 20), the median of each round and the median of the rounds. No network, no
server, no load tool: what a request costs the Python process (on SQLite the database's work
is in it; on PostgreSQL the server's is not). Prints page, platform ms, reference ms, the
ratio platform/reference and its target; then the other main pages of bench/run.py's
`pages()` for the platform alone (ms CPU, SQL statements, against ≤ 8 ms and ≤ 10 SQL);
then a reply to the busy thread, on a copy of the database (as the thread is, then with
EXTRA_FOLLOWERS more followers), against ≤ 10 ms whatever the followers.
Writes bench/results/<date>-cpu-<database>.json (-quick or -partial for a smaller run).

    .venv/bin/python bench/cpu.py [--quick] [--databases sqlite,postgresql] [--only thread]

The ratio is what compares across machines; the milliseconds belong to this machine.
--tree DIR measures the cop package of another checkout (bench/compare.py --cpu uses it).
"""
from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from markupsafe import escape
from run import CSRF, PG_ADMIN, RESULTS, ROOT, database_url, machine, pages, prepare

# The pages with a reference, and the most the platform may cost for each, as a multiple.
RATIO_TARGETS = {"thread page": 3, "space discussions": 3, "regional discussions": 3,
                 "notifications": 3, "library list": 3, "home": 2}
MS_TARGET, SQL_TARGET = 8.0, 10
# A reply to the busy thread, as the write mix posts it: at most this much CPU, however many
# people follow the thread (their notifications are the email worker's work).
REPLY_MS_TARGET = 10.0
EXTRA_FOLLOWERS = 1000
# Not a page: what Flask and the test client cost with no page work (the platform's liveness
# probe, the reference's empty answer), the floor under every row.
FLOOR = "floor: no page work"


def compared_pages(facts: dict) -> list[tuple[str, str, str]]:
    """(name, platform path, reference path): the reference serves the same paths."""
    busy = facts["busy_thread"]
    thread = f"/spazi/{busy['slug']}/discussioni/{busy['id']}"
    return [("thread page", thread, thread),
            ("space discussions", f"/spazi/{busy['slug']}/discussioni/",
             f"/spazi/{busy['slug']}/discussioni/"),
            ("regional discussions", "/discussioni", "/discussioni"),
            ("notifications", "/notifiche/", "/notifiche/"),
            ("library list", "/pratiche/", "/pratiche/"),
            ("home", "/", "/"),
            (FLOOR, "/health/live", "/vuoto")]


def stock_url(url: str) -> str:
    """The URL for SQLAlchemy's own dialects: psycopg 3 for PostgreSQL (what cop ships; the
    platform adds its own dialect on top, the reference does not)."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def expected_content(url: str, facts: dict) -> dict[str, list[str]]:
    """What each compared page must show, read from the database itself (both apps)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(stock_url(url))
    busy, member = facts["busy_thread"], facts["member_id"]
    visible = ("(s.visibility = 'regionale' OR s.id IN "
               "(SELECT space_id FROM memberships WHERE user_id = :member))")
    with engine.connect() as conn:
        def one(sql: str, **params):
            return conn.execute(text(sql), {"member": member, **params}).first()

        fiftieth = one("SELECT p.id, u.name FROM posts p LEFT JOIN users u ON u.id = p.author_id "
                       "WHERE p.thread_id = :t ORDER BY p.sort_key LIMIT 1 OFFSET 49",
                       t=busy["id"])
        in_space = one("SELECT t.title FROM threads t JOIN spaces s ON s.id = t.space_id "
                       "WHERE s.slug = :slug AND NOT t.hidden "
                       "ORDER BY t.pinned DESC, t.last_activity_at DESC, t.id DESC LIMIT 1",
                       slug=busy["slug"])
        latest = one(f"SELECT t.title FROM threads t JOIN spaces s ON s.id = t.space_id "
                     f"WHERE {visible} AND NOT t.hidden "
                     f"ORDER BY t.last_activity_at DESC, t.id DESC LIMIT 1")
        notification = one("SELECT id FROM notifications WHERE user_id = :member "
                           "ORDER BY created_at DESC, id DESC LIMIT 1")
        practice = one(f"SELECT p.id, p.title FROM practices p JOIN spaces s ON s.id = p.space_id "
                       f"WHERE p.status = 'pubblicata' AND (p.visibility <> 'spazio' OR {visible})"
                       f" ORDER BY p.updated_at DESC, p.id DESC LIMIT 1")
        space = one("SELECT s.name FROM spaces s JOIN memberships m ON m.space_id = s.id "
                    "WHERE m.user_id = :member ORDER BY s.name LIMIT 1")
    engine.dispose()
    return {
        "thread page": [str(escape(busy["title"])), f"post-{fiftieth.id}",
                        str(escape(fiftieth.name))],
        "space discussions": [str(escape(in_space.title))],
        "regional discussions": [str(escape(latest.title))],
        "notifications": [f'/notifiche/{notification.id}"'],
        "library list": [f'/pratiche/{practice.id}"', str(escape(practice.title))],
        "home": [str(escape(space.name))],
        FLOOR: [],
    }


def platform_app(url: str):
    import logging

    from cop import create_app

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url, "TESTING": False, "WTF_CSRF_ENABLED": True,
        "SQL_COUNT_HEADER": True, "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False, "LOGIN_RATE_LIMIT": "1000 per minute",
        "NOTIFICATION_EMAIL_WORKER": True,
    })
    logging.getLogger("cop").setLevel(logging.WARNING)  # as under gunicorn --log-level warning
    return app


def reference_app(url: str):
    from reference.app import create_app

    return create_app(stock_url(url))


def sign_in_platform(client, email: str, password: str) -> None:
    page = client.get("/accedi").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    response = client.post("/accedi", data={"csrf_token": token, "email": email,
                                            "password": password})
    assert response.status_code == 302, f"platform sign-in failed: {response.status_code}"


def sign_in_reference(client, user_id: int) -> None:
    with client.session_transaction() as session:  # Flask-Login's session keys
        session["_user_id"] = str(user_id)
        session["_fresh"] = True


class StatementCounter:
    """before_cursor_execute on an engine: statements since reset()."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.count = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:
        self.count += 1


def get(client, path: str, must_show: list[str], what: str):
    response = client.get(path)
    body = response.get_data(as_text=True)
    if response.status_code != 200:
        raise AssertionError(f"{what} GET {path}: {response.status_code}")
    missing = [text for text in must_show if text not in body]
    if missing:
        raise AssertionError(f"{what} GET {path}: the page lacks {missing}")
    return response


def measure(client, path: str, rounds: int, requests: int, warmup: int) -> dict:
    """ms of CPU per request: the median of each round, and the median of the rounds."""
    for _ in range(warmup):
        client.get(path)
    medians = []
    for _ in range(rounds):
        times = []
        for _ in range(requests):
            start = time.process_time()
            response = client.get(path)
            times.append(time.process_time() - start)
            if response.status_code != 200:
                raise AssertionError(f"GET {path}: {response.status_code} while measuring")
        medians.append(statistics.median(times) * 1000)
    return {"ms": statistics.median(medians), "rounds_ms": [round(m, 3) for m in medians]}


def ratio_verdict(ratio: float, target: float) -> str:
    return "ok" if ratio <= target else "MISS"


def alone_verdict(ms: float, sql: int) -> str:
    return "ok" if ms <= MS_TARGET and sql <= SQL_TARGET else "MISS"


def bench(backend: str, args) -> dict:
    url = args.url or database_url(backend, args.factor)
    facts = prepare(backend, args.factor) if not args.url else json.loads(
        (ROOT / "instance" / f"bench-f{args.factor}-{backend}.json").read_text())
    expected = expected_content(url, facts)
    platform, reference = platform_app(url), reference_app(url)
    counter = StatementCounter(reference.extensions["reference_engine"])
    ours, lean = platform.test_client(), reference.test_client()
    sign_in_platform(ours, facts["member_email"], facts["password"])
    sign_in_reference(lean, facts["member_id"])
    wanted = [part.strip() for part in args.only.split(",") if part.strip()]

    def chosen(name: str) -> bool:
        return not wanted or any(part in name for part in wanted)

    compared, alone = [], []
    for name, path, ref_path in compared_pages(facts):
        if not chosen(name):
            continue
        get(ours, path, expected[name], "platform")  # the first view may write (read marks)
        get(lean, ref_path, expected[name], "reference")
        mine = measure(ours, path, args.rounds, args.requests, args.warmup)
        theirs = measure(lean, ref_path, args.rounds, args.requests, args.warmup)
        # statements of a request like those measured; the content checked again after them
        sql = int(get(ours, path, expected[name], "platform").headers["X-SQL-Statements"])
        counter.count = 0
        get(lean, ref_path, expected[name], "reference")
        ref_sql = counter.count
        ratio = mine["ms"] / theirs["ms"]
        target = RATIO_TARGETS.get(name)
        row = {"page": name, "path": path, "platform_ms": round(mine["ms"], 3),
               "reference_ms": round(theirs["ms"], 3), "ratio": round(ratio, 2),
               "target": f"ratio ≤ {target}" if target else "n/a", "sql_statements": sql,
               "reference_sql_statements": ref_sql,
               "verdict": ratio_verdict(ratio, target) if target else "n/a",
               "platform_rounds_ms": mine["rounds_ms"],
               "reference_rounds_ms": theirs["rounds_ms"]}
        compared.append(row)
        print(f"  {backend} {name}: {row['platform_ms']:.2f} ms against {row['reference_ms']:.2f}"
              f" ms, ×{row['ratio']:.2f}, {sql} SQL", flush=True)
    compared_names = {row["page"] for row in compared} | set(RATIO_TARGETS)
    for name, path, _ in pages(facts):
        if name in compared_names or not chosen(name):
            continue
        get(ours, path, [], "platform")
        mine = measure(ours, path, args.rounds, args.requests, args.warmup)
        sql = int(get(ours, path, [], "platform").headers["X-SQL-Statements"])
        row = {"page": name, "path": path, "platform_ms": round(mine["ms"], 3),
               "target": f"≤ {MS_TARGET:g} ms, ≤ {SQL_TARGET} SQL", "sql_statements": sql,
               "verdict": alone_verdict(mine["ms"], sql), "platform_rounds_ms": mine["rounds_ms"]}
        alone.append(row)
        print(f"  {backend} {name}: {row['platform_ms']:.2f} ms, {sql} SQL", flush=True)
    writes = []
    if chosen("reply"):
        close_connections(platform, reference)  # PostgreSQL copies a database nobody uses
        writes = measure_replies(backend, url, facts, args)
    result = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "database": backend,
              "factor": args.factor, "machine": machine(),
              "cop_package": str(Path(sys.modules["cop"].__file__).parent),
              "rounds": args.rounds, "requests_per_round": args.requests,
              "warmup": args.warmup, "compared": compared, "platform_alone": alone,
              "writes": writes}
    print_table(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    else:
        RESULTS.mkdir(parents=True, exist_ok=True)
        suffix = "-partial" if wanted else "-quick" if args.quick else ""
        out = RESULTS / f"{datetime.now(UTC):%Y-%m-%d}-cpu-{backend}{suffix}.json"
        out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
        print(f"  written to {out.relative_to(ROOT)}", flush=True)
    return result


def close_connections(*apps) -> None:
    for app in apps:  # both are Flask-SQLAlchemy apps
        with app.app_context():
            for engine in app.extensions["sqlalchemy"].engines.values():
                engine.dispose()


def database_copy(backend: str, url: str):
    """A copy of the benchmark's database for the writes (they would change the pages measured
    and the next run's): (its URL, a function that removes it)."""
    import sqlite3
    import subprocess

    if backend == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        copy = path.with_name(path.stem + "-writes.db")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
            source.backup(target)

        def drop():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{copy}", drop
    name = url.rsplit("/", 1)[1]
    copy = f"{name}_writes"

    def psql(sql: str) -> None:
        subprocess.run(["psql", PG_ADMIN, "-q", "-c", sql], check=True)
    psql(f'DROP DATABASE IF EXISTS "{copy}"')
    psql(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')  # nobody may be connected to it
    return url.rsplit("/", 1)[0] + f"/{copy}", lambda: psql(f'DROP DATABASE "{copy}"')


def measure_replies(backend: str, url: str, facts: dict, args) -> list[dict]:
    """CPU per reply to the busy thread (a writer signed in, the form posted as a browser
    does, CSRF on, the email worker's mode as in production), on a copy of the database: as
    the thread is, then with EXTRA_FOLLOWERS more people following its space."""
    from sqlalchemy import create_engine, text

    busy = facts["busy_thread"]
    path = f"/spazi/{busy['slug']}/discussioni/{busy['id']}"
    copy_url, drop = database_copy(backend, url)
    rows = []
    try:
        app = platform_app(copy_url)
        client = app.test_client()
        sign_in_platform(client, facts["writers"][0], facts["password"])
        token = CSRF.search(get(client, path, [], "platform").get_data(as_text=True)).group(1)
        engine = create_engine(stock_url(copy_url))
        followers_sql = text(
            "SELECT count(*) FROM subscriptions WHERE level = 'follow' AND (thread_id = :t "
            "OR space_id = (SELECT space_id FROM threads WHERE id = :t))")
        count = 0

        def reply() -> int:
            nonlocal count
            count += 1
            response = client.post(path + "/rispondi", data={
                "csrf_token": token, "body": f"Risposta misurata numero {count}."})
            if response.status_code != 302:
                raise AssertionError(f"POST {path}/rispondi: {response.status_code}")
            return int(response.headers["X-SQL-Statements"])

        def read_the_message() -> None:
            """What the thread page does after a reply: it shows «Risposta pubblicata.»
            and forgets it (else the session, and each request's work on it, would grow)."""
            with client.session_transaction() as session:
                session.pop("_flashes", None)

        for extra in (0, EXTRA_FOLLOWERS):
            if extra:
                with engine.begin() as conn:
                    conn.execute(text(
                        "INSERT INTO subscriptions (user_id, space_id, level, created_at) "
                        "SELECT u.id, t.space_id, 'follow', CURRENT_TIMESTAMP FROM users u, "
                        "threads t WHERE t.id = :t AND u.active AND NOT EXISTS (SELECT 1 FROM "
                        "subscriptions s WHERE s.user_id = u.id AND (s.space_id = t.space_id OR "
                        "s.thread_id = t.id)) ORDER BY u.id LIMIT :n"),
                        {"t": busy["id"], "n": extra})
            with engine.connect() as conn:
                followers = conn.execute(followers_sql, {"t": busy["id"]}).scalar()
            for _ in range(args.warmup):
                reply()
                read_the_message()
            medians = []
            for _ in range(args.rounds):
                times = []
                for _ in range(args.requests):
                    start = time.process_time()
                    sql = reply()
                    times.append(time.process_time() - start)
                    read_the_message()
                medians.append(statistics.median(times) * 1000)
            ms = statistics.median(medians)
            row = {"page": f"reply, {followers} followers", "path": path + "/rispondi",
                   "platform_ms": round(ms, 3), "sql_statements": sql,
                   "target": f"≤ {REPLY_MS_TARGET:g} ms", "followers": followers,
                   "verdict": "ok" if ms <= REPLY_MS_TARGET else "MISS",
                   "platform_rounds_ms": [round(m, 3) for m in medians]}
            rows.append(row)
            print(f"  {backend} {row['page']}: {ms:.2f} ms, {sql} SQL", flush=True)
        engine.dispose()
        close_connections(app)
    finally:
        drop()
    return rows


def print_table(result: dict) -> None:
    print(f"\n**{result['database']}**, factor {result['factor']}, {result['date']}, "
          f"{result['machine']['cpus']} CPUs ({result['machine']['cpu'] or 'unknown CPU'}), "
          f"CPU ms per request in process, median of {result['rounds']} × "
          f"{result['requests_per_round']}\n")
    print("| page | platform ms | reference ms | ratio | target | SQL | reference SQL "
          "| verdict |\n|---|---:|---:|---:|---|---:|---:|---|")
    for r in result["compared"]:
        print(f"| {r['page']} | {r['platform_ms']:.2f} | {r['reference_ms']:.2f} | "
              f"{r['ratio']:.2f} | {r['target']} | {r['sql_statements']} | "
              f"{r['reference_sql_statements']} | {r['verdict']} |")
    if result["platform_alone"]:
        print("\n| page (platform alone) | ms | SQL | target | verdict |\n|---|---:|---:|---|---|")
        for r in result["platform_alone"]:
            print(f"| {r['page']} | {r['platform_ms']:.2f} | {r['sql_statements']} | "
                  f"{r['target']} | {r['verdict']} |")
    if result.get("writes"):
        print("\n| write | ms | SQL | target | verdict |\n|---|---:|---:|---|---|")
        for r in result["writes"]:
            print(f"| {r['page']} | {r['platform_ms']:.2f} | {r['sql_statements']} | "
                  f"{r['target']} | {r['verdict']} |")
    print(flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--databases", default="sqlite")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200, help="per round")
    parser.add_argument("--warmup", type=int, default=10, help="requests before measuring")
    parser.add_argument("--quick", action="store_true", help="3 rounds of 20 requests")
    parser.add_argument("--only", default="", help="only the pages whose name contains one of "
                        "these (comma-separated; a partial run: its results file says so)")
    parser.add_argument("--tree", help="measure the cop package of this checkout (its "
                        "templates and migrations; the database is not upgraded: give --url)")
    parser.add_argument("--url", help="this database (already built and upgraded) instead of "
                        "the factor-N one; its facts are read from instance/")
    parser.add_argument("--json", help="write the result here instead of bench/results/")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.requests, args.warmup = 3, 20, min(args.warmup, 5)
    if args.tree:
        sys.path.insert(0, str(Path(args.tree).resolve()))  # before the editable install
    gc.collect()
    for backend in args.databases.split(","):
        bench(backend.strip(), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
