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
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

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
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
