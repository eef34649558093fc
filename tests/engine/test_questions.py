"""Choosing the next question by expected (weighted) information gain."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from midback.domain import Patient, Sex
from midback.engine import posterior
from midback.engine.questions import best_question, exact_gain, expected_gains
from midback.knowledge import KnowledgeBase


def test_the_fast_gain_equals_the_outcome_by_outcome_definition(small_kb: KnowledgeBase) -> None:
    p = posterior(small_kb, Patient(40, Sex.MALE), {}).probabilities
    available = np.ones(len(small_kb.questions), dtype=bool)
    fast = expected_gains(small_kb, p, available)
    for question in small_kb.questions:
        assert fast[question.index] == pytest.approx(exact_gain(small_kb, p, question.index))


def test_with_equal_weights_the_gain_is_the_mutual_information(small_kb: KnowledgeBase) -> None:
    # question 'a': P(a|c) = 0.2, 0.5, 0.8 for benign, middling, serious; prior 0.6, 0.3, 0.1
    from dataclasses import replace

    flat = replace(small_kb, information_weight=np.ones(3))
    prior = np.array([0.6, 0.3, 0.1])
    likelihood = np.array([0.2, 0.5, 0.8])
    p_yes = float(prior @ likelihood)

    def entropy(ps: list[float]) -> float:
        return -sum(x * np.log(x) for x in ps if x > 0)

    mutual_information = entropy([p_yes, 1 - p_yes]) - sum(
        prior[i] * entropy([likelihood[i], 1 - likelihood[i]]) for i in range(3)
    )
    available = np.ones(len(small_kb.questions), dtype=bool)
    gains = expected_gains(flat, prior, available)
    assert gains[small_kb.question_index["a"]] == pytest.approx(mutual_information)


def test_questions_that_are_not_available_are_never_chosen(small_kb: KnowledgeBase) -> None:
    p = np.array([0.6, 0.3, 0.1])
    available = np.zeros(len(small_kb.questions), dtype=bool)
    assert best_question(small_kb, p, available) is None
    available[small_kb.question_index["c"]] = True
    assert best_question(small_kb, p, available)[0] == small_kb.question_index["c"]


def test_dangerous_conditions_weigh_more_in_the_choice(small_kb: KnowledgeBase) -> None:
    # 'onset' mostly separates the call-ambulance condition; with urgency weights its gain
    # grows relative to 'b', which separates two harmless ones.
    from dataclasses import replace

    p = np.array([0.6, 0.3, 0.1])
    available = np.ones(len(small_kb.questions), dtype=bool)
    weighted = expected_gains(small_kb, p, available)
    flat = expected_gains(replace(small_kb, information_weight=np.ones(3)), p, available)
    onset, b = small_kb.question_index["onset"], small_kb.question_index["b"]
    assert weighted[onset] / weighted[b] > flat[onset] / flat[b]


@settings(max_examples=50, deadline=None, derandomize=True)
@given(st.lists(st.floats(0.01, 1.0), min_size=26, max_size=26))
def test_gains_match_the_oracle_on_the_real_knowledge_base(
    kb: KnowledgeBase, raw: list[float]
) -> None:
    p = np.array(raw) / sum(raw)
    available = np.ones(len(kb.questions), dtype=bool)
    fast = expected_gains(kb, p, available)
    for index in range(0, len(kb.questions), 7):
        assert fast[index] == pytest.approx(exact_gain(kb, p, index), abs=1e-9)
