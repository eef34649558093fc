"""docs/load.md: the figures of each run against the targets, and the method."""

from __future__ import annotations

import os
import textwrap

from loadbench.cases import CASES
from loadbench.run import DatabaseRun, Options
from loadbench.settings import (
    DIAGNOSIS,
    SAVE,
    TARGET_P99_MS,
    TARGET_RPS,
    TARGET_WORKER_MB,
)
from loadbench.wrk import Phase


def _ms(value: float) -> str:
    return f"{value:,.1f} ms"


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def database_table(run: DatabaseRun) -> str:
    d, s = run.diagnosis, run.saving
    rss = [f"{' / '.join(f'{mb:.0f}' for mb in p.worker_peak_mb)} MB" for p in (d, s)]
    rss_ok = all(mb < TARGET_WORKER_MB for p in (d, s) for mb in p.worker_peak_mb)
    saves = f"{run.rows:,} rows, {run.created:,} answers 201"
    if run.lost_saves:
        saves += f": {run.lost_saves:,} saves lost"
    elif run.rows > run.created:
        saves += f": {run.rows - run.created:,} rows without a 201 answer"
    if s.unanswered:
        saves += f" ({s.unanswered:,} requests unanswered at the time limit)"
    lines = [
        "| measure | diagnosis | saving | target | |",
        "|---|---|---|---|---|",
        f"| requests answered | {d.requests:,} in {d.seconds:.1f} s | "
        f"{s.requests:,} in {s.seconds:.1f} s | | |",
        f"| requests per second | {d.rps:,.0f} | {s.rps:,.0f} | ≥ {TARGET_RPS:,} (diagnosis) "
        f"| {_mark(d.rps >= TARGET_RPS)} |",
        f"| p50 latency | {_ms(d.p50_ms)} | {_ms(s.p50_ms)} | | |",
        f"| p99 latency | {_ms(d.p99_ms)} | {_ms(s.p99_ms)} | < {TARGET_P99_MS:.0f} ms "
        f"(diagnosis) | {_mark(d.p99_ms < TARGET_P99_MS)} |",
        f"| errors | {_errors(d)} | {_errors(s)} | 0 | {_mark(d.errors == 0 and s.errors == 0)} |",
        f"| peak RSS per worker | {rss[0]} | {rss[1]} | < {TARGET_WORKER_MB:.0f} MB each "
        f"| {_mark(rss_ok)} |",
        f"| client connections per worker | {_spread(d)} | {_spread(s)} | | |",
        f"| CPU per worker | {_worker_cpu(d)} | {_worker_cpu(s)} | | |",
        f"| no lost saves | | {saves} | rows = 201 answers | {_mark(run.saves_exact)} |",
        f"| server CPU per request (midback's processes) | {d.server_cpu_ms_per_request:.2f} ms | "
        f"{s.server_cpu_ms_per_request:.2f} ms | | |",
        f"| CPU used by wrk | {d.wrk_cpu_s / d.seconds:.2f} cores | "
        f"{s.wrk_cpu_s / s.seconds:.2f} cores | | |",
        f"| CPU used by everything else (PostgreSQL, other programs) | {_other(d)} "
        f"| {_other(s)} | | |",
    ]
    return "\n".join(lines)


def _spread(phase: Phase) -> str:
    return " / ".join(str(n) for n in phase.connections_per_worker) or "?"


def _worker_cpu(phase: Phase) -> str:
    if not phase.seconds:
        return "?"
    return " / ".join(f"{c / phase.seconds:.2f}" for c in phase.worker_cpu_s) + " cores"


def _other(phase: Phase) -> str:
    text = f"{phase.other_cores:.2f} cores"
    stolen = phase.steal_s / phase.seconds if phase.seconds else 0.0
    if stolen >= 0.01:
        text += f" (and {stolen:.2f} stolen by the hypervisor)"
    return text


def _stopped(run: DatabaseRun) -> str:
    if run.server_exit is None:
        text = "The server did not stop within 30 s of SIGTERM and was killed."
    else:
        text = f"The server stopped on SIGTERM with exit code {run.server_exit}"
        text += "." if not run.workers_left else ""
    if run.workers_left:
        text += f"; {len(run.workers_left)} worker(s) were still running and were killed."
    return text


def _errors(phase: Phase) -> str:
    if phase.errors == 0:
        return "0"
    parts = [f"{n:,} × {status}" for status, n in phase.statuses.items() if not 200 <= status < 300]
    parts += [f"{n:,} {kind}" for kind, n in phase.socket_errors.items() if n]
    if phase.unanswered:
        parts.append(f"{phase.unanswered:,} unanswered")
    return f"{phase.errors:,} ({', '.join(parts)})"


def _missed(run: DatabaseRun) -> list[str]:
    checks = (
        ("diagnosis throughput", run.diagnosis.rps >= TARGET_RPS),
        ("diagnosis p99", run.diagnosis.p99_ms < TARGET_P99_MS),
        ("errors", run.diagnosis.errors == 0 and run.saving.errors == 0),
        ("lost-saves check", run.saves_exact),
        (
            "worker memory",
            all(
                mb < TARGET_WORKER_MB
                for p in (run.diagnosis, run.saving)
                for mb in p.worker_peak_mb
            ),
        ),
    )
    return [f"{run.database} {what}" for what, ok in checks if not ok]


def _wrap(text: str, bullet: bool = False) -> str:
    if bullet:
        return textwrap.fill(
            text, 100, initial_indent="- ", subsequent_indent="  ", break_on_hyphens=False
        )
    return textwrap.fill(text, 100, break_on_hyphens=False)


def markdown(machine_info: dict[str, str], runs: list[DatabaseRun], options: Options) -> str:
    m, o = machine_info, options
    missed = [what for run in runs for what in _missed(run)]
    verdict = "Every target is met." if not missed else "Targets missed: " + "; ".join(missed) + "."
    rss_note = (
        "reset before each phase (`clear_refs`), so each phase shows its own peak"
        if all(p.rss_reset for run in runs for p in (run.diagnosis, run.saving))
        else "since the worker started (the peak could not be reset between phases)"
    )
    threads = f"{o.wrk_threads} wrk thread{'s' if o.wrk_threads > 1 else ''}"
    head = [
        "Generated by `python scripts/bench_load.py --write`; do not edit by hand. Figures come "
        "from one run on the machine below and vary with load; they are not asserted in tests.",
        f"Code: {m['code']}. "
        f"Machine: {m['cpu']}, {m['python']}, {m['os']}. Load generator: {m['wrk']} "
        "(`apt-get install wrk`), on the same machine as the server. One-minute load average "
        f"when the run started: {m['load_before']} (anything else running on the machine lowers "
        "these figures).",
        f"Targets: at least {TARGET_RPS:,} diagnosis requests per second with p99 latency under "
        f"{TARGET_P99_MS:.0f} ms at {o.connections} concurrent clients; no errors and no lost "
        f"saves; each worker under {TARGET_WORKER_MB:.0f} MB resident.",
        verdict,
    ]
    method = [
        f"`midback serve --workers {o.workers}` on a free port of 127.0.0.1, once with a SQLite "
        "file in a temporary folder and once with a throwaway PostgreSQL database on "
        "127.0.0.1:5432 (created for the run and dropped after it). The script waits until "
        "`GET /` answers, checks that every request body gets 200, and warms the workers up "
        f"with {o.warmup_seconds} s of diagnosis load (not reported).",
        f"Load: wrk with {o.connections} connections ({threads}), each connection sending its "
        f"next request as soon as the last is answered. Bodies cycle through {len(CASES)} "
        "realistic answer sets of a 45-year-old with 8 to 12 answers (a strain, desk-bound "
        "aching, a band of burning pain, gallbladder-like pain, kidney-stone-like pain, sudden "
        "pain with high blood pressure).",
        f"Two phases per database: `POST {DIAGNOSIS}` (at most {o.diagnosis_cap:,} requests), "
        f"then `POST {SAVE}` (saving; at most {o.save_cap:,}). A phase stops sending after "
        f"{o.seconds} s or at its cap and waits up to {o.drain} s for the answers in flight; "
        "wrk's own `-d` limit stops it in any case. Requests per second is answered requests "
        "over the phase's duration; p50 and p99 are wrk's latency percentiles.",
        "Errors: any answer other than 2xx (counted per status in wrk's Lua `response()`), any "
        "socket error or timeout, and any request still unanswered at the end.",
        "Memory: peak resident set size (VmHWM in `/proc/<pid>/status`) of each uvicorn worker "
        f"process, {rss_note}.",
        "Connections per worker: how wrk's keep-alive connections were spread over the worker "
        "processes, sampled early in the phase from `/proc`. All workers accept from one "
        "listening socket, so the spread is whatever the kernel gave; with keep-alive it lasts "
        "the whole phase, and the worker with more connections sets the tail latency.",
        "No lost saves: every request sent is answered before the phase ends, then the rows in "
        "the `assessments` table (counted through `AssessmentStore.count()`) must equal the "
        "number of `201 Created` answers.",
        "CPU: user plus system time of midback's processes (not PostgreSQL's) over the phase, "
        "per answered request; wrk's own CPU time over the phase; and the rest of the machine's "
        "busy time (`/proc/stat`), which shows PostgreSQL's share and any other program that "
        "took CPU from the benchmark. The diagnosis phase does not touch the database, so any "
        "difference between the two databases there is noise from the machine.",
        "Why wrk rather than a Python client (asyncio with httpx): wrk is written in C and needs "
        "a small fraction of the CPU per request that a Python client would, and its Lua hooks "
        f"give the per-status counts the saving check needs. On a {os.cpu_count()}-core machine "
        f"it still competes with the {o.workers} workers for CPU (see its row in the tables), "
        "so these figures are lower bounds for a server with a machine of its own.",
    ]
    reading = (
        f"Reading the figures: each of the {o.connections} clients waits for its answer before "
        f"sending the next request, so the mean latency is {o.connections} ÷ throughput "
        f"(Little's law). At {TARGET_RPS:,} requests/s that is "
        f"{o.connections / TARGET_RPS * 1e3:.0f} ms, so a p99 under {TARGET_P99_MS:.0f} ms at "
        f"{o.connections} clients needs more than {o.connections / (TARGET_P99_MS / 1e3):,.0f} "
        "requests/s: of the two diagnosis targets, the latency one is the harder."
    )
    blocks = [
        "# Load benchmarks",
        *(_wrap(text) for text in head),
        "## Method",
        "\n".join(_wrap(text, bullet=True) for text in method),
        _wrap(reading),
        *(f"## {run.database}\n\n{database_table(run)}\n\n{_stopped(run)}" for run in runs),
    ]
    return "\n\n".join(blocks) + "\n"
