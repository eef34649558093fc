"""The regression guard on the vignette benchmark (issue 3).

It fails when an emergency vignette is triaged below `emergency_department` (other than the
documented known failures in floors.yaml, which are the work still to do), or when a headline
figure falls below its floor. The floors sit just under the current figures: this is a guard
against getting worse, not a claim that the targets are met (docs/validation.md has the figures).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from midback.knowledge import KnowledgeBase
from midback.validation import load_vignettes, run_benchmark
from midback.validation.benchmark import BenchmarkReport

FLOORS = yaml.safe_load(
    (Path(__file__).parents[2] / "midback" / "validation" / "floors.yaml").read_text()
)


@pytest.fixture(scope="module", params=["interview", "full"])
def report(request: pytest.FixtureRequest, kb: KnowledgeBase) -> BenchmarkReport:
    return run_benchmark(kb, load_vignettes(kb), request.param)


def test_no_new_emergency_is_triaged_below_the_emergency_department(
    report: BenchmarkReport,
) -> None:
    known = set(FLOORS["known_emergency_misses"])
    missed = {x.vignette.id for x in report.outcomes if x.emergency_missed}
    assert missed <= known, f"emergencies under-triaged: {sorted(missed - known)}"


def test_every_known_emergency_miss_is_still_a_miss(kb: KnowledgeBase) -> None:
    """The allow-list only shrinks: a fixed miss must leave floors.yaml (scripts/set_floors.py)."""
    missed: set[str] = set()
    for mode in ("interview", "full"):
        report = run_benchmark(kb, load_vignettes(kb), mode)
        missed |= {x.vignette.id for x in report.outcomes if x.emergency_missed}
    fixed = sorted(set(FLOORS["known_emergency_misses"]) - missed)
    assert fixed == [], f"no longer missed, remove from floors.yaml: {fixed}"


def test_headline_figures_stay_above_their_floors(report: BenchmarkReport) -> None:
    figures = report.figures()
    for name, floor in FLOORS["floors"][report.mode].items():
        assert figures[name] >= floor, f"{report.mode} {name}: {figures[name]:.3f} < floor {floor}"


def test_self_care_is_not_sent_to_urgent_care(report: BenchmarkReport) -> None:
    ceiling = FLOORS["ceilings"]["self_care_sent_24h_or_above"]
    assert report.figures()["self_care_sent_24h_or_above"] <= ceiling


def test_every_red_flag_rule_is_exercised_by_a_vignette(kb: KnowledgeBase) -> None:
    report = run_benchmark(kb, load_vignettes(kb), "full")
    fired = {rule for x in report.outcomes for rule in x.red_flags}
    assert [r.id for r in kb.red_flags if r.id not in fired] == []


def test_the_suite_has_the_shape_the_method_requires(kb: KnowledgeBase) -> None:
    vignettes = load_vignettes(kb)
    assert len(vignettes) >= 150
    per_condition = {c.id: 0 for c in kb.conditions}
    for v in vignettes:
        per_condition[v.gold.condition] += 1
    assert min(per_condition.values()) >= 4, per_condition
    tuning_pool = [v for v in vignettes if v.split != "holdout"]  # the holdout stands apart
    test_share = sum(v.split == "test" for v in tuning_pool) / len(tuning_pool)
    assert 0.28 <= test_share <= 0.40
