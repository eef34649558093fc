"""Run vignettes through the engine and compute the audit figures.

Definitions follow the published audits: top-1 / top-3 accuracy of the gold condition; exact
triage; safe triage (gold level, more urgent, or at most one level less urgent, except that an
emergency vignette must be triaged as an emergency); under- and over-triage by gold level.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from midback.domain import TriageLevel
from midback.engine.triage import answer_counts
from midback.knowledge.model import KnowledgeBase
from midback.validation.patient import Unstated, all_facts, interview
from midback.validation.vignettes import Vignette

Mode = Literal["interview", "full"]
SetBy = Literal["red_flag", "condition", "uncertainty", "reassurance"]
SET_BY: dict[SetBy, str] = {
    "red_flag": "a red-flag rule",
    "condition": "a dangerous condition too likely to ignore",
    "uncertainty": 'the uncertainty floor (mostly "don\'t know")',
    "reassurance": "nothing (no warning sign, no escalation)",
}
"""What can set a triage level, the most specific first, in words for reports."""


def is_safe_triage(gold: TriageLevel, given: TriageLevel) -> bool:
    """The gold level, more urgent, or at most one level less urgent; an emergency must be
    triaged as an emergency."""
    if gold.is_emergency and not given.is_emergency:
        return False
    return given.rank >= gold.rank - 1


@dataclass(frozen=True)
class VignetteOutcome:
    vignette: Vignette
    ranked: tuple[tuple[str, float], ...]
    triage: TriageLevel
    questions: int
    red_flags: tuple[str, ...]
    stop_reason: str | None
    set_by: SetBy
    """The most specific kind of reason at the level given (see SET_BY)."""
    dont_know: float
    """The share of the questions answered that got only "don't know"."""

    @property
    def gold_rank(self) -> int | None:
        ids = [c for c, _ in self.ranked]
        return (
            ids.index(self.vignette.gold.condition) + 1
            if self.vignette.gold.condition in ids
            else None
        )

    @property
    def top1(self) -> bool:
        return self.ranked[0][0] == self.vignette.gold.condition

    @property
    def top3(self) -> bool:
        return self.vignette.gold.condition in [c for c, _ in self.ranked[:3]]

    @property
    def top1_acceptable(self) -> bool:
        return self.ranked[0][0] in {self.vignette.gold.condition, *self.vignette.gold.acceptable}

    @property
    def exact_triage(self) -> bool:
        return self.triage == self.vignette.gold.triage

    @property
    def safe_triage(self) -> bool:
        return is_safe_triage(self.vignette.gold.triage, self.triage)

    @property
    def under_triaged(self) -> bool:
        return self.triage < self.vignette.gold.triage

    @property
    def over_triaged(self) -> bool:
        return self.triage > self.vignette.gold.triage

    @property
    def emergency_missed(self) -> bool:
        return self.vignette.gold.triage.is_emergency and not self.triage.is_emergency


def run_vignette(
    kb: KnowledgeBase, vignette: Vignette, mode: Mode, unstated: Unstated = "dont_know"
) -> VignetteOutcome:
    assessment = (
        interview(kb, vignette, unstated) if mode == "interview" else all_facts(kb, vignette)
    )
    result = assessment.result(top=len(kb.conditions))
    asked = assessment.questions_answered - (len(vignette.complaint) if mode == "interview" else 0)
    deciding = {reason.kind for reason in result.triage.deciding_reasons}
    answered, unknown = answer_counts(kb, assessment.answers)
    return VignetteOutcome(
        vignette=vignette,
        ranked=tuple((c.id, c.probability) for c in result.conditions),
        triage=result.triage.level,
        questions=asked if mode == "interview" else 0,
        red_flags=tuple(rule.id for rule in result.triage.red_flags),
        stop_reason=result.stop_reason,
        set_by=next(kind for kind in SET_BY if kind in deciding),
        dont_know=unknown / answered if answered else 0.0,
    )


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


@dataclass
class BenchmarkReport:
    mode: Mode
    unstated: Unstated = "dont_know"
    """What the simulated patient said to yes/no questions its vignette does not settle."""
    outcomes: list[VignetteOutcome] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.outcomes)

    def figures(self) -> dict[str, Any]:
        o = self.outcomes
        by_level: dict[str, dict[str, Any]] = {}
        for level in TriageLevel:
            group = [x for x in o if x.vignette.gold.triage == level]
            by_level[level.value] = {
                "vignettes": len(group),
                "exact": _share([x.exact_triage for x in group]),
                "under_triage": _share([x.under_triaged for x in group]),
                "over_triage": _share([x.over_triaged for x in group]),
            }
        self_care = [x for x in o if x.vignette.gold.triage == TriageLevel.SELF_CARE]
        questions = [x.questions for x in o]
        over = Counter(x.set_by for x in o if x.over_triaged)
        under = Counter(x.set_by for x in o if x.under_triaged)
        asked = bool(questions) and self.mode == "interview"
        return {
            "mode": self.mode,
            "unstated": self.unstated if self.mode == "interview" else None,
            "vignettes": len(o),
            "top1": _share([x.top1 for x in o]),
            "top1_including_acceptable": _share([x.top1_acceptable for x in o]),
            "top3": _share([x.top3 for x in o]),
            "exact_triage": _share([x.exact_triage for x in o]),
            "safe_triage": _share([x.safe_triage for x in o]),
            "emergencies_missed": sum(x.emergency_missed for x in o),
            "self_care_sent_24h_or_above": _share(
                [x.triage >= TriageLevel.SEE_DOCTOR_24H for x in self_care]
            ),
            "by_gold_level": by_level,
            "questions_median": statistics.median(questions) if asked else None,
            "questions_p90": _percentile(questions, 0.9) if asked else None,
            "dont_know_median": statistics.median(x.dont_know for x in o) if asked else None,
            "over_triage_set_by": {kind: over[kind] for kind in SET_BY},
            "under_triage_set_by": {kind: under[kind] for kind in SET_BY},
        }

    def confusions(self, limit: int = 10) -> list[tuple[str, str, int]]:
        """(gold, ranked first instead, count), most frequent first."""
        pairs = Counter(
            (x.vignette.gold.condition, x.ranked[0][0]) for x in self.outcomes if not x.top1
        )
        return [(gold, said, n) for (gold, said), n in pairs.most_common(limit)]

    def per_condition(self) -> dict[str, dict[str, Any]]:
        table: dict[str, dict[str, Any]] = {}
        for condition in sorted({x.vignette.gold.condition for x in self.outcomes}):
            group = [x for x in self.outcomes if x.vignette.gold.condition == condition]
            table[condition] = {
                "vignettes": len(group),
                "top1": _share([x.top1 for x in group]),
                "top3": _share([x.top3 for x in group]),
                "exact_triage": _share([x.exact_triage for x in group]),
                "safe_triage": _share([x.safe_triage for x in group]),
            }
        return table

    def failures(self) -> list[VignetteOutcome]:
        return [x for x in self.outcomes if not (x.top1 and x.exact_triage)]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.figures(),
            "per_condition": self.per_condition(),
            "confusions": [
                {"gold": g, "ranked_first": s, "count": n} for g, s, n in self.confusions()
            ],
            "failures": [
                {
                    "id": x.vignette.id,
                    "split": x.vignette.split,
                    "gold_condition": x.vignette.gold.condition,
                    "gold_rank": x.gold_rank,
                    "ranked_first": x.ranked[0][0],
                    "probability": round(x.ranked[0][1], 3),
                    "gold_triage": x.vignette.gold.triage.value,
                    "triage": x.triage.value,
                    "questions": x.questions,
                    "red_flags": list(x.red_flags),
                    "triage_set_by": x.set_by,
                    "dont_know": round(x.dont_know, 3),
                }
                for x in self.failures()
            ],
        }


def _percentile(values: list[int], q: float) -> float:
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def run_benchmark(
    kb: KnowledgeBase,
    vignettes: list[Vignette],
    mode: Mode,
    unstated: Unstated = "dont_know",
) -> BenchmarkReport:
    report = BenchmarkReport(mode=mode, unstated=unstated)
    for vignette in vignettes:
        report.outcomes.append(run_vignette(kb, vignette, mode, unstated))
    return report
