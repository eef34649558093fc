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
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from midback.storage import AssessmentStore

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
HOST = "127.0.0.1"
DIAGNOSIS = "/api/v1/diagnosis"
SAVE = "/api/v1/assessments"
RESULT_MARKER = "midback-bench-result "
DRAINED_MARKER = "midback-bench-drained"

TARGET_RPS = 1500
TARGET_P99_MS = 20.0
TARGET_WORKER_MB = 250.0


def case(sex: str, answers: dict[str, str]) -> dict[str, Any]:
    return {
        "age": 45,
        "sex": sex,
        "evidence": [{"id": finding, "state": state} for finding, state in answers.items()],
    }


# Realistic bodies: a 45-year-old part-way through the interview (8 to 12 answers), in a few
# different stories so that the posterior and the next question differ between requests.
CASES: list[dict[str, Any]] = [
    case(
        "male",
        {  # a strain after a day of lifting
            "location_one_side": "present",
            "lifting_trigger": "present",
            "onset_hours": "present",
            "character_dull_ache": "present",
            "worse_with_movement": "present",
            "eased_by_rest": "present",
            "pressing_reproduces": "present",
            "trauma_none": "present",
            "chest_pain": "absent",
            "shortness_of_breath": "absent",
            "fever": "absent",
        },
    ),
    case(
        "female",
        {  # months of aching at a desk
            "location_between_shoulder_blades": "present",
            "onset_gradual": "present",
            "duration_over_3_months": "present",
            "character_dull_ache": "present",
            "desk_work": "present",
            "worse_with_sitting": "present",
            "eased_by_position_change": "present",
            "pregnant": "absent",
            "night_pain": "absent",
            "weight_loss": "absent",
        },
    ),
    case(
        "female",
        {  # a burning band around one side of the chest
            "location_band_around_chest": "present",
            "character_burning": "present",
            "skin_sensitivity": "present",
            "rash_band": "unknown",
            "onset_gradual": "present",
            "duration_days_to_6_weeks": "present",
            "fever": "absent",
            "cough": "absent",
            "chest_pain": "absent",
        },
    ),
    case(
        "male",
        {  # pain under the right shoulder blade after fatty meals
            "location_right_shoulder_blade": "present",
            "worse_after_meals": "present",
            "nausea_vomiting": "present",
            "upper_abdominal_pain": "present",
            "gallstones_history": "unknown",
            "character_colicky": "present",
            "onset_hours": "present",
            "jaundice": "absent",
            "fever": "absent",
            "severity_severe": "present",
        },
    ),
    case(
        "male",
        {  # colicky flank pain spreading to the groin
            "location_lower_ribs_flank": "present",
            "character_colicky": "present",
            "pain_to_groin": "present",
            "restless_with_pain": "present",
            "blood_in_urine": "unknown",
            "urinary_symptoms": "present",
            "onset_sudden": "present",
            "fever": "absent",
        },
    ),
    case(
        "female",
        {  # sudden pain between the shoulder blades with high blood pressure
            "onset_sudden": "present",
            "location_between_shoulder_blades": "present",
            "high_blood_pressure": "present",
            "character_sharp": "present",
            "worst_pain_ever": "absent",
            "chest_pain": "absent",
            "shortness_of_breath": "absent",
            "fainting": "absent",
            "leg_weakness": "absent",
            "smoker": "present",
            "aortic_or_connective_disease": "absent",
            "trauma_none": "present",
        },
    ),
]

# One wrk script for both phases. Each connection posts the bodies in turn. A thread stops
# sending once it has sent its share of the request cap or its time is up (delay() parks the
# connection), and stops itself once every request it sent has been answered, so no request is
# left in flight: that is what makes "rows == 201 answers" an exact check. delay() is defined
# (returning 0 while running) because it runs before every request, which is where a connection
# can be parked.
LUA = r"""
local bodies = {
@BODIES@
}
local prepared = {}
local quota, deadline, turn = 0, 0, 0
local running = false  -- wrk calls request() once before the run to check it; not counted
local threads = {}
sent, received, counts = 0, 0, {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  quota = tonumber(args[1])
  deadline = os.time() + tonumber(args[2])
  for i, body in ipairs(bodies) do
    prepared[i] = wrk.format("POST", args[3], {["Content-Type"] = "application/json"}, body)
  end
end

local function finished()
  return sent >= quota or os.time() >= deadline
end

function delay()
  running = true
  if finished() then return 3600000 end
  return 0
end

function request()
  if running then sent = sent + 1 end
  turn = turn % #prepared + 1
  return prepared[turn]
end

function response(status, headers, body)
  received = received + 1
  local key = tostring(status)
  counts[key] = (counts[key] or 0) + 1
  if received == sent and finished() then
    io.write("@DRAINED@\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total_sent, total_received, statuses = 0, 0, {}
  for _, thread in ipairs(threads) do
    total_sent = total_sent + thread:get("sent")
    total_received = total_received + thread:get("received")
    for status, n in pairs(thread:get("counts")) do
      statuses[status] = (statuses[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(statuses) do
    parts[#parts + 1] = string.format('"%s": %d', status, n)
  end
  local e = summary.errors
  io.write(string.format(
    '@RESULT@{"duration_us": %d, "requests": %d, "sent": %d, "received": %d, '
    .. '"p50_us": %d, "p99_us": %d, "max_us": %d, "statuses": {%s}, '
    .. '"connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.duration, summary.requests, total_sent, total_received,
    latency:percentile(50.0), latency:percentile(99.0), latency.max, table.concat(parts, ", "),
    e.connect, e.read, e.write, e.timeout))
end
"""


@dataclass
class Phase:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[int, int]
    socket_errors: dict[str, int]
    unanswered: int
    wrk_cpu_s: float = 0.0
    machine_busy_s: float = 0.0
    steal_s: float = 0.0
    rss_reset: bool = True
    connections_per_worker: list[int] = field(default_factory=list)
    worker_cpu_s: list[float] = field(default_factory=list)
    server_cpu_s: float = 0.0
    worker_peak_mb: list[float] = field(default_factory=list)
    wrk_output: str = ""

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def server_cpu_ms_per_request(self) -> float:
        return self.server_cpu_s * 1e3 / self.requests if self.requests else 0.0

    @property
    def other_cores(self) -> float:
        """CPU used by everything but midback and wrk (PostgreSQL, other programs), in cores."""
        other = self.machine_busy_s - self.server_cpu_s - self.wrk_cpu_s
        return max(other, 0.0) / self.seconds if self.seconds else 0.0

    @property
    def non_2xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if not 200 <= status < 300)

    @property
    def errors(self) -> int:
        return self.non_2xx + sum(self.socket_errors.values()) + self.unanswered

    def to_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "max_ms": round(self.max_ms, 2),
            "statuses": self.statuses,
            "socket_errors": self.socket_errors,
            "unanswered": self.unanswered,
            "errors": self.errors,
            "server_cpu_ms_per_request": round(self.server_cpu_ms_per_request, 3),
            "wrk_cpu_cores": round(self.wrk_cpu_s / self.seconds, 2) if self.seconds else 0,
            "other_cpu_cores": round(self.other_cores, 2),
            "steal_cores": round(self.steal_s / self.seconds, 2) if self.seconds else 0,
            "worker_peak_mb": [round(mb, 1) for mb in self.worker_peak_mb],
            "connections_per_worker": self.connections_per_worker,
            "worker_cpu_cores": [round(c / self.seconds, 2) for c in self.worker_cpu_s]
            if self.seconds
            else [],
        }


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


# Databases ------------------------------------------------------------------------------------


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="midback_load_") as folder:
        yield f"sqlite:///{Path(folder) / 'midback.sqlite3'}"


@contextmanager
def postgres_database() -> Iterator[str]:
    import psycopg

    name = f"midback_load_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@{HOST}:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def count_rows(url: str) -> int:
    store = AssessmentStore(url)
    try:
        return store.count()
    finally:
        store.dispose()


# The server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class Server:
    """`midback serve` in its own process group, with its worker processes."""

    def __init__(self, url: str, workers: int, folder: Path) -> None:
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.workers = workers
        self.log = folder / f"server-{self.port}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "midback",
                    "serve",
                    "--host",
                    HOST,
                    "--port",
                    str(self.port),
                    "--db",
                    url,
                    "--workers",
                    str(workers),
                ],
                cwd=folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"bench_load: the server exited with {self.process.returncode}:\n"
                    + self.log.read_text(errors="replace")
                )
            try:
                with urllib.request.urlopen(self.base + "/", timeout=2) as reply:
                    if reply.status == 200 and len(self.worker_pids()) >= self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"bench_load: the server did not answer GET / within {timeout:.0f} s")

    def worker_pids(self) -> list[int]:
        """The uvicorn worker processes: the server's descendants started by multiprocessing
        (with one worker, uvicorn serves from the main process itself)."""
        if self.workers == 1:
            return [self.process.pid]
        workers = []
        for pid in descendants(self.process.pid):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if b"spawn_main" in command:
                workers.append(pid)
        return sorted(workers)

    def stop(self, timeout: float = 30.0) -> tuple[int | None, list[int]]:
        """SIGTERM, as a service manager would. Returns the exit code (None if it had to be
        killed) and the workers still alive afterwards (then killed, by their ids)."""
        workers = [pid for pid in self.worker_pids() if pid != self.process.pid]
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code: int | None = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            code = None
        left = [pid for pid in workers if Path(f"/proc/{pid}").exists()]
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        return code, left


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    pending = [pid]
    while pending:
        parent = pending.pop()
        try:
            tasks = list(Path(f"/proc/{parent}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found.extend(children)
            pending.extend(children)
    return found


def reset_peak_rss(pids: list[int]) -> bool:
    """Reset VmHWM (peak RSS) so that each phase reports its own peak; False if not allowed."""
    try:
        for pid in pids:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time used so far by these processes."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return ticks / os.sysconf("SC_CLK_TCK")


def connections_per_worker(pids: list[int], port: int) -> list[int]:
    """Established connections to `port` held by each process (from /proc, no tools needed)."""
    established: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                established.add(fields[9])
    counts = []
    for pid in pids:
        inodes = set()
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            pass
        counts.append(len(inodes & established))
    return counts


def machine_cpu() -> tuple[float, float]:
    """Busy and stolen CPU time of the whole machine so far, in seconds (from /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (values + [0] * 8)[:8]
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / tick, steal / tick


def post_json(url: str, body: dict[str, Any]) -> int:
    data = json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


# The load generator ---------------------------------------------------------------------------


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit(
            "bench_load: wrk is not installed; on Debian or Ubuntu: apt-get install wrk"
        )
    return path


def lua_script(folder: Path) -> Path:
    bodies = ",\n".join(f"  [==[{json.dumps(c, separators=(',', ':'))}]==]" for c in CASES)
    script = folder / "bench_load.lua"
    script.write_text(
        LUA.replace("@BODIES@", bodies)
        .replace("@DRAINED@", DRAINED_MARKER)
        .replace("@RESULT@", RESULT_MARKER),
        encoding="utf-8",
    )
    return script


def run_wrk(
    name: str,
    base: str,
    path: str,
    script: Path,
    *,
    connections: int,
    threads: int,
    cap: int,
    seconds: int,
    drain: int,
) -> Phase:
    """One phase. Requests stop after `seconds` or `cap`; then answers in flight get `drain`
    more seconds. wrk would otherwise sleep its full -d, so it is interrupted once every thread
    has drained."""
    threads = min(threads, connections)
    command = [
        wrk_path(),
        "--latency",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{seconds + drain}s",
        "--timeout",
        f"{seconds + drain}s",
        "-s",
        str(script),
        base + path,
        "--",
        str(max(1, cap // threads)),
        str(seconds),
        path,
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watchdog = threading.Timer(seconds + drain + 15, process.kill)
    watchdog.start()
    lines: list[str] = []
    drained = 0
    assert process.stdout is not None
    try:
        for line in process.stdout:
            if line.strip() == DRAINED_MARKER:
                drained += 1
                if drained == threads and process.poll() is None:
                    process.send_signal(signal.SIGINT)
                continue
            lines.append(line)
        process.wait()
    finally:
        watchdog.cancel()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = "".join(lines)
    result = next(
        (
            json.loads(line[len(RESULT_MARKER) :])
            for line in lines
            if line.startswith(RESULT_MARKER)
        ),
        None,
    )
    if result is None:
        raise SystemExit(f"bench_load: wrk gave no result (exit {process.returncode}):\n{output}")
    return Phase(
        name=name,
        requests=result["requests"],
        seconds=result["duration_us"] / 1e6,
        p50_ms=result["p50_us"] / 1e3,
        p99_ms=result["p99_us"] / 1e3,
        max_ms=result["max_us"] / 1e3,
        statuses={int(k): v for k, v in sorted(result["statuses"].items())},
        socket_errors={k: result[k] for k in ("connect", "read", "write", "timeout")},
        unanswered=result["sent"] - result["received"],
        wrk_cpu_s=(after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        wrk_output="\n".join(
            line for line in output.splitlines() if not line.startswith(RESULT_MARKER)
        ),
    )


# The benchmark --------------------------------------------------------------------------------


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
