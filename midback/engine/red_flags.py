"""Evaluating red-flag rules against a person's answers.

A rule is true when its tree holds on the answers and none of its `unless` findings is present;
"don't know" never makes a finding count, so an unanswered or unknown explanation does not
stop a rule.
`rule_status` also says whether a rule could still become true if unanswered questions were
asked, which the interview uses to follow up a worrying answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from midback.domain import AnswerState, Patient
from midback.knowledge.model import (
    AgeAtLeast,
    AgeBelow,
    AllOf,
    AnyOf,
    FindingIs,
    KnowledgeBase,
    RedFlagRule,
    RuleNode,
    SexIs,
)

OPEN = None
"""Rule status: not true yet, but could become true once more questions are answered."""


def _status(
    node: RuleNode,
    patient: Patient,
    evidence: Mapping[str, AnswerState],
    askable: Callable[[str], bool],
) -> bool | None:
    if isinstance(node, FindingIs):
        state = evidence.get(node.finding)
        if state == AnswerState.PRESENT:
            return True
        if state is None and askable(node.finding):
            return OPEN
        return False
    if isinstance(node, AllOf):
        parts = [_status(part, patient, evidence, askable) for part in node.parts]
        if any(part is False for part in parts):
            return False
        return True if all(part is True for part in parts) else OPEN
    if isinstance(node, AnyOf):
        parts = [_status(part, patient, evidence, askable) for part in node.parts]
        if any(part is True for part in parts):
            return True
        return OPEN if any(part is OPEN for part in parts) else False
    return _patient_fits(node, patient)


def _holds(node: RuleNode, patient: Patient, evidence: Mapping[str, AnswerState]) -> bool:
    """Whether the tree is true on these answers (short-circuits; the hot path of triage)."""
    if isinstance(node, FindingIs):
        return evidence.get(node.finding) == AnswerState.PRESENT
    if isinstance(node, AllOf):
        return all(_holds(part, patient, evidence) for part in node.parts)
    if isinstance(node, AnyOf):
        return any(_holds(part, patient, evidence) for part in node.parts)
    return _patient_fits(node, patient)


def _patient_fits(node: RuleNode, patient: Patient) -> bool:
    """An age or sex leaf."""
    if isinstance(node, AgeAtLeast):
        return patient.age >= node.years
    if isinstance(node, AgeBelow):
        return patient.age < node.years
    assert isinstance(node, SexIs)
    return patient.sex == node.sex


def explained_away(rule: RedFlagRule, evidence: Mapping[str, AnswerState]) -> bool:
    """Whether one of the rule's `unless` findings is present."""
    return any(evidence.get(f) == AnswerState.PRESENT for f in rule.unless)


def rule_fires(rule: RedFlagRule, patient: Patient, evidence: Mapping[str, AnswerState]) -> bool:
    return not explained_away(rule, evidence) and _holds(rule.when, patient, evidence)


def fired_rules(
    kb: KnowledgeBase, patient: Patient, evidence: Mapping[str, AnswerState]
) -> list[RedFlagRule]:
    """Rules that hold on these answers, most urgent first (file order within a level).

    Every rule needs at least one present finding, so only rules that mention one are evaluated.
    """
    present = present_findings(evidence)
    fired = [
        rule
        for rule in kb.red_flags
        if not rule.finding_set.isdisjoint(present) and rule_fires(rule, patient, evidence)
    ]
    return sorted(fired, key=lambda rule: -rule.level.rank)


def rule_status(
    rule: RedFlagRule,
    patient: Patient,
    evidence: Mapping[str, AnswerState],
    askable: Callable[[str], bool],
) -> bool | None:
    """True, False, or OPEN (None) when asking `askable` findings could still make it true."""
    if explained_away(rule, evidence):
        return False
    return _status(rule.when, patient, evidence, askable)


def matched_findings(rule: RedFlagRule, evidence: Mapping[str, AnswerState]) -> tuple[str, ...]:
    """The present findings that the rule mentions: the answers that made it fire."""
    return tuple(f for f in rule.findings if evidence.get(f) == AnswerState.PRESENT)


def present_findings(evidence: Mapping[str, AnswerState]) -> set[str]:
    return {f for f, s in evidence.items() if s == AnswerState.PRESENT}
