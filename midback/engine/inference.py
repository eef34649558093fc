"""The posterior probability of each condition given a person's answers.

Naive Bayes in log space: log prior + the sum of log P(answer | condition) over the answers
that count. An answer of "don't know" counts for nothing. For a single-choice question a
present option alone counts (it implies the others are absent). In a cluster of correlated
questions only the answer with the strongest evidence counts (see `counted_rows`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from midback.domain import AnswerState, Patient
from midback.knowledge.model import FloatArray, KnowledgeBase


@dataclass(frozen=True, eq=False)
class Posterior:
    """Probabilities of every condition, in knowledge-base order; they sum to 1."""

    kb: KnowledgeBase
    probabilities: FloatArray

    def of(self, condition_id: str) -> float:
        return float(self.probabilities[self.kb.condition_index[condition_id]])

    def ranked(self) -> list[tuple[str, float]]:
        """(condition id, probability), most probable first; ties in knowledge-base order."""
        order = np.argsort(-self.probabilities, kind="stable")
        return [(self.kb.conditions[i].id, float(self.probabilities[i])) for i in order]

    def top(self) -> tuple[str, float]:
        index = int(np.argmax(self.probabilities))
        return self.kb.conditions[index].id, float(self.probabilities[index])


def evidence_row(kb: KnowledgeBase, finding_id: str, state: AnswerState) -> int:
    """The row of kb.log_evidence for one answer."""
    index = kb.finding_index[finding_id]
    return 2 * index if state == AnswerState.PRESENT else 2 * index + 1


def question_rows(kb: KnowledgeBase, evidence: Mapping[str, AnswerState]) -> dict[str, list[int]]:
    """For each answered question, the rows of kb.log_evidence that its answers contribute."""
    rows: dict[str, list[int]] = {}
    present: dict[str, int] = {}
    for finding_id, state in evidence.items():
        if state == AnswerState.UNKNOWN:
            continue
        question_id = kb.question_of_finding[finding_id]
        row = evidence_row(kb, finding_id, state)
        if state == AnswerState.PRESENT:
            present[question_id] = row
        rows.setdefault(question_id, []).append(row)
    for question_id, row in present.items():
        rows[question_id] = [row]  # a chosen option says everything its question can say
    return rows


def counted_rows(
    kb: KnowledgeBase, evidence: Mapping[str, AnswerState]
) -> tuple[list[int], dict[str, str]]:
    """The evidence rows that count, and which answered questions were set aside for which.

    Within a cluster of correlated questions only the question whose answers spread the
    conditions most (largest max - min of its summed log-likelihoods; the first in
    knowledge-base order on a tie) counts, so correlated evidence is never counted twice.
    """
    by_question = question_rows(kb, evidence)
    clustered: dict[str, list[str]] = {}
    for question_id in by_question:
        cluster = kb.question(question_id).cluster
        if cluster is not None:
            clustered.setdefault(cluster, []).append(question_id)
    superseded: dict[str, str] = {}
    for members in clustered.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda q: kb.question_index[q])
        spreads = []
        for question_id in members:
            vector = kb.log_evidence[by_question[question_id]].sum(axis=0)
            spreads.append(float(vector.max() - vector.min()))
        keep = members[int(np.argmax(spreads))]
        for question_id in members:
            if question_id != keep:
                superseded[question_id] = keep
    rows = [row for q, q_rows in by_question.items() if q not in superseded for row in q_rows]
    return rows, superseded


def log_prior(kb: KnowledgeBase, patient: Patient) -> FloatArray:
    with np.errstate(divide="ignore"):
        return np.log(kb.prior(patient))


def posterior_from_log_prior(
    kb: KnowledgeBase, prior_log: FloatArray, evidence: Mapping[str, AnswerState]
) -> Posterior:
    rows, _ = counted_rows(kb, evidence)
    scores = prior_log + kb.log_evidence[rows].sum(axis=0) if rows else prior_log.copy()
    scores = scores - scores.max()
    weights = np.exp(scores)
    return Posterior(kb, weights / weights.sum())


def posterior(
    kb: KnowledgeBase, patient: Patient, evidence: Mapping[str, AnswerState]
) -> Posterior:
    """The posterior over all conditions for this person and these answers."""
    return posterior_from_log_prior(kb, log_prior(kb, patient), evidence)


def reference_posterior(
    kb: KnowledgeBase, patient: Patient, evidence: Mapping[str, AnswerState]
) -> dict[str, float]:
    """A slow, plain-Python posterior by direct multiplication: the oracle for tests.

    It shares no arithmetic with `posterior()`: it reads the probabilities, not the logs,
    and applies the choice and cluster rules with its own loops.
    """
    answered: dict[str, dict[str, AnswerState]] = {}
    for finding_id, state in evidence.items():
        if state != AnswerState.UNKNOWN:
            answered.setdefault(kb.question_of_finding[finding_id], {})[finding_id] = state

    def factor(question_id: str, condition_index: int) -> float:
        answers = answered[question_id]
        chosen = [f for f, s in answers.items() if s == AnswerState.PRESENT]
        if chosen:
            return float(kb.probability[kb.finding_index[chosen[0]], condition_index])
        return math.prod(
            1.0 - float(kb.probability[kb.finding_index[f], condition_index]) for f in answers
        )

    counted = set(answered)
    clusters: dict[str, list[str]] = {}
    for question in kb.questions:
        if question.id in answered and question.cluster is not None:
            clusters.setdefault(question.cluster, []).append(question.id)
    for members in clusters.values():
        best, best_spread = members[0], -1.0
        for question_id in members:
            logs = [math.log(factor(question_id, c)) for c in range(len(kb.conditions))]
            spread = max(logs) - min(logs)
            if spread > best_spread:
                best, best_spread = question_id, spread
        counted -= set(members) - {best}

    prior = kb.prior(patient)
    weights = []
    for condition in kb.conditions:
        weight = float(prior[condition.index])
        for question_id in counted:
            weight *= factor(question_id, condition.index)
        weights.append(weight)
    total = sum(weights)
    return {c.id: w / total for c, w in zip(kb.conditions, weights, strict=True)}
