"""One database's run: start the server, warm it up, measure both phases, stop it."""

from __future__ import annotations

import os
import platform
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loadbench.cases import CASES
from loadbench.databases import count_rows
from loadbench.server import (
    Server,
    connections_per_worker,
    cpu_seconds,
    machine_cpu,
    peak_rss_mb,
    post_json,
    reset_peak_rss,
)
from loadbench.settings import DIAGNOSIS, ROOT, SAVE
from loadbench.wrk import Phase, lua_script, run_wrk, wrk_path


@dataclass
class DatabaseRun:
    database: str
    diagnosis: Phase
    saving: Phase
    rows: int
    created: int
    server_exit: int | None
    workers_left: list[int]

    @property
    def lost_saves(self) -> int:
        return max(self.created - self.rows, 0)

    @property
    def saves_exact(self) -> bool:
        return self.rows == self.created and self.saving.unanswered == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "diagnosis": self.diagnosis.to_dict(),
            "saving": self.saving.to_dict(),
            "rows": self.rows,
            "created_201": self.created,
            "lost_saves": self.lost_saves,
            "saves_check_passed": self.saves_exact,
            "server_exit_code": self.server_exit,
            "workers_left_running": self.workers_left,
        }


@dataclass
class Options:
    workers: int
    connections: int
    wrk_threads: int
    seconds: int
    drain: int
    diagnosis_cap: int
    save_cap: int
    warmup_seconds: int


def phase_with_memory(
    server: Server, name: str, path: str, script: Path, options: Options, cap: int
) -> Phase:
    workers = server.worker_pids()
    rss_reset = reset_peak_rss(workers)
    processes = sorted({server.process.pid, *workers})
    cpu = cpu_seconds(processes)
    per_worker = [cpu_seconds([pid]) for pid in workers]
    busy, steal = machine_cpu()
    spread: list[int] = []
    sampler = threading.Timer(
        min(2.0, options.seconds / 2),
        lambda: spread.extend(connections_per_worker(workers, server.port)),
    )
    sampler.start()
    phase = run_wrk(
        name,
        server.base,
        path,
        script,
        connections=options.connections,
        threads=options.wrk_threads,
        cap=cap,
        seconds=options.seconds,
        drain=options.drain,
    )
    phase.server_cpu_s = cpu_seconds(processes) - cpu
    phase.worker_cpu_s = [
        cpu_seconds([pid]) - c for pid, c in zip(workers, per_worker, strict=True)
    ]
    busy_after, steal_after = machine_cpu()
    phase.machine_busy_s, phase.steal_s = busy_after - busy, steal_after - steal
    phase.worker_peak_mb = [peak_rss_mb(pid) for pid in workers]
    phase.rss_reset = rss_reset
    sampler.join()
    phase.connections_per_worker = spread
    return phase


def measure_database(database: str, url: str, options: Options, folder: Path) -> DatabaseRun:
    script = lua_script(folder)
    server = Server(url, options.workers, folder)
    try:
        server.wait_ready()
        for body in CASES:  # every body is valid: a wrong one would only measure 422s
            status = post_json(server.base + DIAGNOSIS, body)
            if status != 200:
                raise SystemExit(f"bench_load: {DIAGNOSIS} answered {status} to {body}")
        # Warm-up (not reported): imports, caches and the first requests of every worker.
        run_wrk(
            "warm-up",
            server.base,
            DIAGNOSIS,
            script,
            connections=options.connections,
            threads=options.wrk_threads,
            cap=options.diagnosis_cap,
            seconds=options.warmup_seconds,
            drain=options.drain,
        )
        diagnosis = phase_with_memory(
            server, "diagnosis", DIAGNOSIS, script, options, options.diagnosis_cap
        )
        before = count_rows(url)
        saving = phase_with_memory(server, "saving", SAVE, script, options, options.save_cap)
        rows = count_rows(url) - before
    finally:
        exit_code, left = server.stop()
    created = saving.statuses.get(201, 0)
    return DatabaseRun(database, diagnosis, saving, rows, created, exit_code, left)


def machine() -> dict[str, str]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    wrk = subprocess.run([wrk_path(), "--version"], capture_output=True, text=True)
    return {
        "cpu": f"{os.cpu_count()} cores ({model or platform.machine()})",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(terse=True),
        "wrk": (wrk.stdout or wrk.stderr).splitlines()[0].split("[")[0].strip(),
        "load_before": f"{os.getloadavg()[0]:.2f}",
        "code": code_version(),
    }


def code_version() -> str:
    """The commit measured, and whether the working tree differs from it (read-only git)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "diff-index", "--quiet", "HEAD", "--"], cwd=ROOT).returncode
    except OSError:
        return "unknown"
    if not commit:
        return "unknown"
    return f"commit {commit}" + (" with uncommitted changes" if dirty else "")
