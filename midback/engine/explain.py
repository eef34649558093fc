"""Why a condition is ranked where it is: each answer's likelihood ratio for it.

The ratio for answer e and condition c is P(e | c) / P(e | not c), where "not c" is the other
conditions weighted by this person's prior. Above 1 the answer raises the condition; below 1
it lowers it. Answers set aside by the cluster rule are reported but marked as not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from midback.domain import AnswerState, Patient
from midback.engine.inference import counted_rows, evidence_row
from midback.knowledge.model import KnowledgeBase


@dataclass(frozen=True)
class Contribution:
    """How one answer moved one condition."""

    finding: str
    state: AnswerState
    likelihood_ratio: float
    counted: bool
    text: str

    @property
    def raises(self) -> bool:
        return self.likelihood_ratio > 1.0


def answer_text(kb: KnowledgeBase, finding_id: str, state: AnswerState) -> str:
    """The answer in plain words, e.g. 'Yes: fever' or 'No: pain spreading to the groin'."""
    finding = kb.finding(finding_id)
    question = kb.question(finding.question)
    if question.kind != "yes_no" and state == AnswerState.PRESENT:
        return finding.label[0].upper() + finding.label[1:]
    word = {"present": "Yes", "absent": "No", "unknown": "Don't know"}[state.value]
    return f"{word}: {finding.label}"


def likelihood_ratios(
    kb: KnowledgeBase, patient: Patient, evidence: Mapping[str, AnswerState]
) -> dict[str, np.ndarray]:
    """For each answer that bears on the conditions, its likelihood ratio for every condition."""
    prior = kb.prior(patient)
    ratios: dict[str, np.ndarray] = {}
    for finding_id, state in evidence.items():
        if state == AnswerState.UNKNOWN:
            continue
        question = kb.question_for(finding_id)
        if (
            question.kind != "yes_no"
            and state == AnswerState.ABSENT
            and any(evidence.get(f) == AnswerState.PRESENT for f in question.findings)
        ):
            continue  # implied by the chosen option; it adds nothing
        likelihood = np.exp(kb.log_evidence[evidence_row(kb, finding_id, state)])
        rest = (likelihood @ prior - likelihood * prior) / np.maximum(1.0 - prior, 1e-300)
        ratios[finding_id] = likelihood / rest
    return ratios


def contributions(
    kb: KnowledgeBase, patient: Patient, evidence: Mapping[str, AnswerState], condition_id: str
) -> list[Contribution]:
    """Every answer's effect on one condition, strongest (in either direction) first."""
    index = kb.condition_index[condition_id]
    _, superseded = counted_rows(kb, evidence)
    result = [
        Contribution(
            finding=finding_id,
            state=evidence[finding_id],
            likelihood_ratio=float(ratio[index]),
            counted=kb.question_of_finding[finding_id] not in superseded,
            text=answer_text(kb, finding_id, evidence[finding_id]),
        )
        for finding_id, ratio in likelihood_ratios(kb, patient, evidence).items()
    ]
    result.sort(key=lambda c: (not c.counted, -abs(np.log(c.likelihood_ratio)), c.finding))
    return result


def describe(contribution: Contribution) -> str:
    """One line in plain language, e.g. 'Yes: fever - makes it 4.2 times more likely'."""
    ratio = contribution.likelihood_ratio
    if not contribution.counted:
        effect = "not counted again (overlaps with a stronger answer)"
    elif ratio >= 1.05:
        effect = f"makes it {ratio:.1f} times more likely"
    elif ratio <= 1 / 1.05:
        effect = f"makes it {1 / ratio:.1f} times less likely"
    else:
        effect = "makes little difference"
    return f"{contribution.text} - {effect}"
