"""The benchmark scripts still run against the current engine (their figures are not checked)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from midback.knowledge.loader import DATA_DIR

ROOT = Path(__file__).parents[1]


def test_the_engine_benchmark_runs_on_a_few_interviews() -> None:
    spec = importlib.util.spec_from_file_location(
        "bench_engine", ROOT / "scripts" / "bench_engine.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.measure(interviews=5, data=DATA_DIR)
    assert result["interviews"] == 5
    assert {"core_step_us", "assessment_step_us", "questions_median"} <= set(result)


def test_the_load_report_states_each_target_as_met_or_missed(monkeypatch) -> None:
    # The load benchmark needs wrk and a server; its report is checked here on made-up figures.
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    from loadbench.report import markdown
    from loadbench.run import DatabaseRun, Options
    from loadbench.wrk import Phase

    def phase(name: str, rps: float, p99_ms: float, statuses: dict[int, int]) -> Phase:
        return Phase(
            name=name,
            requests=int(rps * 10),
            seconds=10.0,
            p50_ms=p99_ms / 2,
            p99_ms=p99_ms,
            max_ms=p99_ms * 2,
            statuses=statuses,
            socket_errors={"connect": 0, "read": 0, "write": 0, "timeout": 0},
            unanswered=0,
            worker_peak_mb=[90.0, 95.0],
        )

    fast = phase("diagnosis", 4000, 12.0, {200: 40_000})
    saving = phase("saving", 800, 70.0, {201: 8_000})
    slow = phase("diagnosis", 1000, 45.0, {200: 9_990, 500: 10})
    about = {
        "code": "commit abc1234",
        "cpu": "2 cores",
        "python": "CPython 3.11",
        "os": "Linux",
        "wrk": "wrk 4.1.0",
        "load_before": "0.10",
    }
    options = Options(2, 64, 1, 10, 5, 50_000, 10_000, 2)
    good = markdown(about, [DatabaseRun("SQLite", fast, saving, 8_000, 8_000, 0, [])], options)
    assert "Every target is met." in good and "**missed**" not in good
    report = markdown(about, [DatabaseRun("SQLite", slow, saving, 7_990, 8_000, 0, [])], options)
    bad = " ".join(report.split())  # the verdict is wrapped at 100 columns
    for missed in ("diagnosis throughput", "diagnosis p99", "errors", "lost-saves check"):
        assert f"SQLite {missed}" in bad
    assert "10 saves lost" in bad and "10 × 500" in bad
