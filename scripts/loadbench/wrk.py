"""The load generator: wrk with a Lua script that counts statuses and drains in-flight
requests, and the figures of one phase."""

from __future__ import annotations

import json
import resource
import shutil
import signal
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loadbench.cases import CASES

RESULT_MARKER = "midback-bench-result "
DRAINED_MARKER = "midback-bench-drained"

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
