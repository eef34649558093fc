"""Choosing the next question: the one with the largest expected information gain.

The gain of a question is the expected fall in the *weighted* entropy of the differential,
H_w(p) = -sum_c w_c p_c log p_c, where w_c grows with the urgency of condition c (triage.yaml,
`information_weights`). With all weights 1 it is exactly the mutual information between the
answer and the condition. Expanding the expectation gives, for answer outcomes o with
probabilities L[o, c] = P(o | c):

    gain = sum_o sum_c w_c p_c L[o,c] log L[o,c]  -  sum_o W_o log P_o
    where P_o = sum_c p_c L[o,c] and W_o = sum_c w_c p_c L[o,c]

which is two matrix-vector products over the precomputed outcome matrix and L log L.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from midback.knowledge.model import FloatArray, KnowledgeBase


def expected_gains(
    kb: KnowledgeBase, probabilities: FloatArray, available: npt.NDArray[np.bool_]
) -> FloatArray:
    """Expected weighted information gain of every question (-inf where not available).

    Every likelihood is strictly between 0 and 1 and the weights are positive, so every
    outcome probability is positive and the logarithm needs no guard.
    """
    weighted = kb.information_weight * probabilities
    outcome_p = kb.outcome_probability @ probabilities
    outcome_w = kb.outcome_probability @ weighted
    per_outcome = kb.outcome_plogp @ weighted - outcome_w * np.log(outcome_p)
    gains = np.add.reduceat(per_outcome, kb.question_outcome_start)
    return np.where(available, gains, -np.inf)


def best_question(
    kb: KnowledgeBase, probabilities: FloatArray, available: npt.NDArray[np.bool_]
) -> tuple[int, float] | None:
    """The index and gain of the most informative available question; ties go to the first."""
    if not available.any():
        return None
    gains = expected_gains(kb, probabilities, available)
    index = int(np.argmax(gains))
    return index, float(gains[index])


def exact_gain(kb: KnowledgeBase, probabilities: FloatArray, question_index: int) -> float:
    """The same gain computed the slow way, outcome by outcome: an oracle for tests."""
    weights = kb.information_weight
    rows = np.flatnonzero(kb.outcome_question == question_index)

    def weighted_entropy(p: FloatArray) -> float:
        mask = p > 0
        return float(-(weights[mask] * p[mask] * np.log(p[mask])).sum())

    before = weighted_entropy(probabilities)
    after = 0.0
    for row in rows:
        joint = probabilities * kb.outcome_probability[row]
        total = joint.sum()
        if total > 0:
            after += total * weighted_entropy(joint / total)
    return before - after
