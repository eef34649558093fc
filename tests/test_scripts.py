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
