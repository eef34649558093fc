"""Triage: how urgently to get care, and which answers set that level.

The level is the most urgent of (1) every red-flag rule that fires, (2) the escalation of
every condition by its posterior probability (triage.yaml `escalation`): a dangerous condition
with a small but real probability escalates, while benign possibilities add nothing, and (3)
the uncertainty floor: when most answers were "don't know", the result cannot reassure. It is
never below self-care. A pain a doctor has already diagnosed that feels just as usual
(triage.yaml `known_pain`) turns off (2) for the conditions listed there, whose level is for
the diagnosis already made, and (3); never (1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from midback.domain import AnswerState, Patient, TriageLevel
from midback.engine.explain import contributions
from midback.engine.inference import Posterior
from midback.engine.red_flags import fired_rules, matched_findings
from midback.knowledge.model import KnowledgeBase, RedFlagRule


@dataclass(frozen=True)
class TriageReason:
    """One reason for a level: a red flag that fired, or a condition that is too likely to ignore."""

    kind: Literal["red_flag", "condition", "uncertainty", "reassurance"]
    level: TriageLevel
    text: str
    findings: tuple[str, ...]
    rule: str | None = None
    condition: str | None = None
    probability: float | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class TriageDecision:
    level: TriageLevel
    reasons: tuple[TriageReason, ...]
    """Most urgent first; those at `level` are the ones that set it."""
    red_flags: tuple[RedFlagRule, ...]

    @property
    def deciding_reasons(self) -> tuple[TriageReason, ...]:
        return tuple(reason for reason in self.reasons if reason.level == self.level)


def escalation_level(
    kb: KnowledgeBase, condition_level: TriageLevel, probability: float
) -> TriageLevel:
    for threshold, level in kb.policy.escalation[condition_level]:
        if probability >= threshold:
            return level
    return TriageLevel.SELF_CARE


def answer_counts(kb: KnowledgeBase, evidence: Mapping[str, AnswerState]) -> tuple[int, int]:
    """How many questions were answered, and how many of them only with "don't know"."""
    states: dict[str, list[AnswerState]] = {}
    for finding_id, state in evidence.items():
        states.setdefault(kb.question_for(finding_id).id, []).append(state)
    unknown = sum(all(s == AnswerState.UNKNOWN for s in answers) for answers in states.values())
    return len(states), unknown


def known_pain(kb: KnowledgeBase, evidence: Mapping[str, AnswerState]) -> frozenset[str]:
    """The conditions whose need for a doctor's diagnosis has been met (`known_pain` in
    triage.yaml): those listed there, once the person says a doctor has already diagnosed this
    pain and it feels just as usual; otherwise none."""
    policy = kb.policy.known_pain
    if policy is None or evidence.get(policy.finding) != AnswerState.PRESENT:
        return frozenset()
    return frozenset(policy.conditions)


def triage(
    kb: KnowledgeBase, patient: Patient, evidence: Mapping[str, AnswerState], posterior: Posterior
) -> TriageDecision:
    """The triage decision for these answers and this posterior."""
    reasons: list[TriageReason] = []
    rules = fired_rules(kb, patient, evidence)
    for rule in rules:
        reasons.append(
            TriageReason(
                kind="red_flag",
                level=rule.level,
                text=f"{rule.name}. {rule.says}",
                findings=matched_findings(rule, evidence),
                rule=rule.id,
                sources=rule.sources,
            )
        )
    known = known_pain(kb, evidence)
    for condition in kb.conditions:
        if condition.id in known:
            continue  # the doctor's diagnosis this condition needs has been made
        probability = float(posterior.probabilities[condition.index])
        level = escalation_level(kb, condition.triage_level, probability)
        if level == TriageLevel.SELF_CARE:
            continue
        raising = [
            c.finding
            for c in contributions(kb, patient, evidence, condition.id)
            if c.counted and c.raises
        ][:3]
        share = f"{probability:.0%}" if probability >= 0.01 else "under 1%"
        reasons.append(
            TriageReason(
                kind="condition",
                level=level,
                text=f"{condition.name} is possible ({share}); it warrants "
                f"'{kb.policy.levels[condition.triage_level].title.lower()}' if present.",
                findings=tuple(raising),
                condition=condition.id,
                probability=probability,
                sources=condition.sources,
            )
        )
    floor = kb.policy.uncertainty
    answered, unknown = answer_counts(kb, evidence)
    if not known and answered >= floor.min_questions and unknown >= floor.unknown_share * answered:
        reasons.append(
            TriageReason(
                kind="uncertainty",
                level=floor.level,
                text=f'You answered "don\'t know" to {unknown} of {answered} questions, so '
                "midback cannot rule out causes that need a doctor's examination.",
                findings=(),
            )
        )
    reasons.sort(key=lambda reason: -reason.level.rank)
    level = reasons[0].level if reasons else TriageLevel.SELF_CARE
    if not reasons:
        top_id, top_p = posterior.top()
        policy = kb.policy.known_pain
        text = (
            "A doctor has already diagnosed this pain and it feels just as usual, and there "
            "are no warning signs in your answers: manage it as you usually do, and see your "
            "doctor if anything new or different appears."
            if known
            else f"No warning signs in your answers, and the most likely cause "
            f"({kb.condition(top_id).name}, {top_p:.0%}) usually settles with self-care."
        )
        reasons.append(
            TriageReason(
                kind="reassurance",
                level=TriageLevel.SELF_CARE,
                text=text,
                findings=(policy.finding,) if known and policy is not None else (),
                condition=top_id,
                probability=top_p,
                sources=policy.sources if known and policy is not None else (),
            )
        )
    return TriageDecision(level=level, reasons=tuple(reasons), red_flags=tuple(rules))
