"""Prints the Markdown table of benchmark results files (for the README's Performance section).

    .venv/bin/python bench/table.py bench/results/2026-11-26-sqlite-f10.json ...
    .venv/bin/python bench/table.py --before OLD.json NEW.json   # with the older run beside
    .venv/bin/python bench/table.py bench/results/2026-12-07-cpu-sqlite.json   # bench/cpu.py's
"""
import argparse
import json


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="an earlier results file: its req/s and p50 beside")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    before = {}
    if args.before:
        before = {row["page"]: row for row in json.load(open(args.before))["pages"]}
    for path in args.paths:
        result = json.load(open(path))
        if "compared" in result:  # bench/cpu.py's results: CPU per request, with the reference
            from cpu import print_table

            print_table(result)
            continue
        print(f"**{result['database']}**, factor {result['factor']}, {result['date']}, "
              f"{result['machine']['cpus']} CPUs ({result['machine']['cpu'] or 'unknown CPU'}), "
              f"{result['workers']} gunicorn workers, {result['clients']} clients × "
              f"{result['seconds_per_page']} s per page\n")
        extra = " req/s before | p50 before |" if before else ""
        print("| page | req/s | p50 ms | p95 ms | p99 ms | SQL/request | errors | target |" + extra)
        print("|---|---:|---:|---:|---:|---:|---:|---|" + ("---:|---:|" if before else ""))
        for row in result["pages"]:
            old = before.get(row["page"])
            was = (f" {old['rps']:.0f} | {old['p50_ms']:.1f} |" if old else " | |") \
                if before else ""
            print(f"| {row['page']} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} "
                  f"| {row['p99_ms']:.1f} | {row['sql_statements']} | {row['errors']} "
                  f"| {row['target']} |" + was)
        mix = result.get("write_mix")
        if mix:
            print(f"\nWrite mix: {mix['clients']} clients for {mix['seconds']} s, 80 % reads and "
                  f"20 % replies: {mix['rps']:.0f} req/s, {mix['replies_stored']} replies stored "
                  f"of {mix['replies_accepted']} accepted (lost: {mix['lost_replies']}), "
                  f"5xx: {mix['errors_5xx']}, reply p50 {mix['reply_p50_ms']:.0f} ms, "
                  f"p95 {mix['reply_p95_ms']:.0f} ms" + (
                      f"; the email worker sent {mix['emails_sent']} notification emails, the "
                      f"last {mix['emails_drained_after_s']} s after the mix ended"
                      if "emails_sent" in mix else "") + ".\n")


if __name__ == "__main__":
    main()
