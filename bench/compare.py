"""What a change moved, on one machine: two source trees served side by side.

Benchmark runs from different days cannot be compared when the machine changes under them, so
this serves the code before and after at the same time (gunicorn, 3 workers each; the idle one
waits) and, page by page, drives the one and then the other with wrk, signed in as in
`make bench`. Prepare the "before" tree and its database first, for instance:

    git worktree add /tmp/before REV && ln -s "$PWD/.venv" /tmp/before/.venv
    cp instance/bench-f10.db /tmp/before.db   # then take this change's migrations off it

    .venv/bin/python bench/compare.py --before-tree /tmp/before \\
        --before-url sqlite:////tmp/before.db --after-url sqlite:///$PWD/instance/bench-f10.db

The facts of the seeded data are read from instance/bench-f10-<database>.json.

With --cpu it compares CPU time per request instead (bench/cpu.py, in process, no server): this
tree's bench/cpu.py runs the "before" tree's cop package and then the "after" one's, one round
each, in turn, --rounds times (so that a busy minute on the machine falls on both), each process
measuring the lean reference too; it prints the median of the rounds (pages and the reply
rows), and each tree's ratio to the reference.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

from run import (
    BIN,
    FLOOR,
    ROOT,
    Session,
    admin_pages,
    free_port,
    measure_page,
    pages,
    wait_for_port,
)


def serve(tree: str, url: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "COP_DATABASE_URL": url, "COP_SQL_COUNT_HEADER": "true",
           "COP_SESSION_COOKIE_SECURE": "false", "COP_REMEMBER_COOKIE_SECURE": "false",
           "COP_LOGIN_RATE_LIMIT": "1000 per minute", "COP_NOTIFICATION_EMAIL_WORKER": "true"}
    process = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "3", "--bind",
                                f"127.0.0.1:{port}", "--log-level", "warning",
                                "cop:create_app()"], env=env, cwd=tree)
    wait_for_port(port)
    return process, port


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before-tree", required=True)
    parser.add_argument("--before-url", required=True)
    parser.add_argument("--after-tree", default=str(ROOT))
    parser.add_argument("--after-url", required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--only", default="", help="only the pages whose name contains one of "
                        "these (comma-separated)")
    parser.add_argument("--json", help="also write the rows to this file")
    parser.add_argument("--cpu", action="store_true", help="CPU per request in process "
                        "(bench/cpu.py) instead of requests served under load")
    parser.add_argument("--rounds", type=int, default=3, help="with --cpu")
    parser.add_argument("--requests", type=int, default=200, help="with --cpu: per round")
    args = parser.parse_args(argv)
    if args.cpu:
        return compare_cpu(args)
    backend = "postgresql" if args.after_url.startswith("postgresql") else "sqlite"
    facts = json.loads((ROOT / "instance" / f"bench-f10-{backend}.json").read_text())
    servers = {"before": serve(args.before_tree, args.before_url),
               "after": serve(args.after_tree, args.after_url)}
    rows = []
    try:
        people = {}
        for name, (_, port) in servers.items():
            member, admin = Session(port), Session(port)
            member.login(facts["member_email"], facts["password"])
            admin.login(facts["admin_email"], facts["password"])
            people[name] = (member, admin)
        measured = [(page, 0) for page in pages(facts)] + \
            [(page, 1) for page in admin_pages(facts)] + [(FLOOR, 0)]
        print("| page | req/s before | req/s after | p50 ms before | p50 ms after "
              "| p95 ms before | p95 ms after |\n|---|---:|---:|---:|---:|---:|---:|", flush=True)
        for (page, path, _), who in measured:
            if args.only and not any(part.strip() in page for part in args.only.split(",")):
                continue
            row = {"page": page}
            for name, (_, port) in servers.items():
                session = people[name][who]
                session.request("GET", path)  # the first request may fill a cache
                row[name] = measure_page(port, session.cookie, path, args.seconds, args.clients)
            rows.append(row)
            b, a = row["before"], row["after"]
            print(f"| {page} | {b['rps']:.0f} | {a['rps']:.0f} | {b['p50']:.1f} | {a['p50']:.1f} "
                  f"| {b['p95']:.1f} | {a['p95']:.1f} |", flush=True)
    finally:
        for process, _ in servers.values():
            process.terminate()
        for process, _ in servers.values():
            process.wait(timeout=30)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(rows, out, indent=1)
    return 0


def compare_cpu(args) -> int:
    """Both trees through bench/cpu.py, a round of each in turn (see the docstring)."""
    backend = "postgresql" if args.after_url.startswith("postgresql") else "sqlite"
    trees = {"before": (args.before_tree, args.before_url),
             "after": (args.after_tree, args.after_url)}
    runs: dict[str, list[dict]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as folder:
        for number in range(args.rounds):
            for name, (tree, url) in trees.items():
                out = os.path.join(folder, f"{name}-{number}.json")
                subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "cpu.py"),
                                "--databases", backend, "--tree", tree, "--url", url,
                                "--rounds", "1", "--requests", str(args.requests),
                                "--only", args.only, "--json", out],
                               check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
                with open(out) as result:
                    runs[name].append(json.load(result))

    def medians(name: str) -> dict[str, dict]:
        rows: dict[str, dict] = {}
        for run in runs[name]:
            for row in run["compared"] + run["platform_alone"] + run.get("writes", []):
                rows.setdefault(row["page"], {"ms": [], "ref": [], "sql": row["sql_statements"]})
                rows[row["page"]]["ms"].append(row["platform_ms"])
                if "reference_ms" in row:
                    rows[row["page"]]["ref"].append(row["reference_ms"])
        return {page: {"ms": statistics.median(r["ms"]), "sql": r["sql"],
                       "ref": statistics.median(r["ref"]) if r["ref"] else None}
                for page, r in rows.items()}

    before, after = medians("before"), medians("after")
    print(f"{backend}: CPU ms per request, median of {args.rounds} rounds × {args.requests}\n")
    print("| page | ms before | ms after | change | ratio before | ratio after | SQL before "
          "| SQL after |\n|---|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    for page, a in after.items():
        b = before.get(page)
        if b is None:
            continue
        ratios = [f"{x['ms'] / x['ref']:.2f}" if x["ref"] else "" for x in (b, a)]
        rows.append({"page": page, "before": b, "after": a})
        print(f"| {page} | {b['ms']:.2f} | {a['ms']:.2f} | {(a['ms'] / b['ms'] - 1) * 100:+.0f} % "
              f"| {ratios[0]} | {ratios[1]} | {b['sql']} | {a['sql']} |", flush=True)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(rows, out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
