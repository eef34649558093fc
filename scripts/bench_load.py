"""Load benchmark of the HTTP API (a script, not a test): prints figures and can write docs.

    python scripts/bench_load.py            # print
    python scripts/bench_load.py --write    # also rewrite docs/load.md

For SQLite (a file in a temporary folder) and for a throwaway PostgreSQL database on
127.0.0.1:5432, it starts `midback serve --workers 2` on a free local port, then drives load at
that server only, with wrk (Debian: `apt-get install wrk`) and 64 connections:
`POST /api/v1/diagnosis`, then `POST /api/v1/assessments` (saving). Each phase is bounded by a
request cap and a time limit. It reports requests per second, p50 and p99 latency, errors (any
non-2xx answer, socket error or request left unanswered), the peak resident memory of each
worker, and whether every save answered 201 is in the database ("no lost saves"). Then it stops
the server and drops the throwaway database.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from loadbench.databases import postgres_database, sqlite_database
from loadbench.report import markdown
from loadbench.run import Options, machine, measure_database
from loadbench.settings import ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite docs/load.md")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--connections", type=int, default=64, help="concurrent clients")
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--seconds", type=int, default=10, help="time limit of each phase")
    parser.add_argument(
        "--drain",
        type=int,
        default=5,
        help="seconds allowed for answers in flight after a phase stops sending",
    )
    parser.add_argument(
        "--diagnosis-cap", type=int, default=50_000, help="most diagnosis requests per phase"
    )
    parser.add_argument("--save-cap", type=int, default=10_000, help="most saves per phase")
    parser.add_argument("--warmup-seconds", type=int, default=2)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--verbose", action="store_true", help="print wrk's own output too")
    args = parser.parse_args()
    about = machine()  # before the run, for its load average
    options = Options(
        args.workers,
        args.connections,
        args.wrk_threads,
        args.seconds,
        args.drain,
        args.diagnosis_cap,
        args.save_cap,
        args.warmup_seconds,
    )
    databases = [("SQLite", sqlite_database), ("PostgreSQL", postgres_database)]
    if args.database != "both":
        databases = [d for d in databases if d[0].lower() == args.database]
    runs = []
    with tempfile.TemporaryDirectory(prefix="midback_load_") as folder:
        for name, database in databases:
            with database() as url:
                runs.append(measure_database(name, url, options, Path(folder)))
    if args.verbose:
        for run in runs:
            for phase in (run.diagnosis, run.saving):
                print(f"--- {run.database}, {phase.name}: wrk output\n{phase.wrk_output}")
    result = {"machine": about, "runs": [run.to_dict() for run in runs]}
    print(json.dumps(result, indent=2))
    if args.write:
        (ROOT / "docs" / "load.md").write_text(markdown(about, runs, options), encoding="utf-8")


if __name__ == "__main__":
    main()
