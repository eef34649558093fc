"""Write midback/validation/floors.yaml from the current benchmark (a regression guard).

    python scripts/set_floors.py

Floors sit a little under the current figures (rounded down to the next 2.5 points); the known
emergency misses are listed by id so that any new one fails CI. Run it only after a deliberate
change, and say in the commit why the figures moved.
"""

from __future__ import annotations

import math
from pathlib import Path

import yaml

from midback.knowledge import load_knowledge
from midback.validation import load_vignettes, run_benchmark

ROOT = Path(__file__).resolve().parent.parent
HEADLINES = ("top1", "top3", "exact_triage", "safe_triage")


def floor(value: float) -> float:
    return math.floor(value * 40 - 1e-9) / 40  # the next 2.5-point step below


def main() -> None:
    kb = load_knowledge()
    vignettes = load_vignettes(kb)
    floors: dict[str, dict[str, float]] = {}
    misses: set[str] = set()
    self_care: list[float] = []
    for mode in ("interview", "full"):
        report = run_benchmark(kb, vignettes, mode)
        figures = report.figures()
        floors[mode] = {name: floor(figures[name]) for name in HEADLINES}
        misses |= {x.vignette.id for x in report.outcomes if x.emergency_missed}
        self_care.append(figures["self_care_sent_24h_or_above"])
    data = {
        "floors": floors,
        "ceilings": {"self_care_sent_24h_or_above": 0.10},
        "known_emergency_misses": sorted(misses),
    }
    header = (
        "# Regression guard for the vignette benchmark, written by scripts/set_floors.py.\n"
        "# Floors sit just under the figures when it was run (all vignettes); the targets in\n"
        "# docs/validation.md are higher. known_emergency_misses are emergency vignettes still\n"
        "# triaged below emergency_department: each one is work to do, and any other fails CI.\n"
    )
    path = ROOT / "midback" / "validation" / "floors.yaml"
    path.write_text(header + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    print(f"wrote {path}: {len(misses)} known emergency misses; self-care sent up {self_care}")


if __name__ == "__main__":
    main()
