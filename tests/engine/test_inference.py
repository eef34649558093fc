"""The posterior, against cases small enough to compute by hand, and against the slow oracle."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from midback.domain import AnswerState, Patient, Sex
from midback.engine import posterior, reference_posterior
from midback.engine.inference import counted_rows
from midback.knowledge import KnowledgeBase

P, A, U = AnswerState.PRESENT, AnswerState.ABSENT, AnswerState.UNKNOWN
MAN_40 = Patient(40, Sex.MALE)


def probabilities(kb: KnowledgeBase, patient: Patient, **answers: AnswerState) -> dict[str, float]:
    result = posterior(kb, patient, answers)
    return {c.id: result.of(c.id) for c in kb.conditions}


def normalise(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {k: v / total for k, v in weights.items()}


def test_with_no_answers_the_posterior_is_the_prior(small_kb: KnowledgeBase) -> None:
    assert probabilities(small_kb, MAN_40) == pytest.approx(
        {"benign": 0.6, "middling": 0.3, "serious": 0.1}
    )


def test_priors_follow_age_and_sex(small_kb: KnowledgeBase) -> None:
    # serious: x2 at 70+, x0.5 for women
    expected = normalise({"benign": 0.6, "middling": 0.3, "serious": 0.1 * 2 * 0.5})
    assert probabilities(small_kb, Patient(75, Sex.FEMALE)) == pytest.approx(expected)


def test_a_present_finding_multiplies_by_its_likelihood(small_kb: KnowledgeBase) -> None:
    expected = normalise({"benign": 0.6 * 0.2, "middling": 0.3 * 0.5, "serious": 0.1 * 0.8})
    assert probabilities(small_kb, MAN_40, a=P) == pytest.approx(expected)


def test_an_absent_finding_multiplies_by_one_minus_its_likelihood(small_kb: KnowledgeBase) -> None:
    expected = normalise({"benign": 0.6 * 0.8, "middling": 0.3 * 0.5, "serious": 0.1 * 0.2})
    assert probabilities(small_kb, MAN_40, a=A) == pytest.approx(expected)


def test_dont_know_leaves_the_posterior_unchanged(small_kb: KnowledgeBase) -> None:
    assert probabilities(small_kb, MAN_40, a=U, b=U) == pytest.approx(
        probabilities(small_kb, MAN_40)
    )


def test_a_chosen_option_counts_once_and_implies_the_others(small_kb: KnowledgeBase) -> None:
    # options normalised: serious 0.9/(0.9+0.3) = 0.75; others 0.2/(0.2+0.8) = 0.2
    expected = normalise({"benign": 0.6 * 0.2, "middling": 0.3 * 0.2, "serious": 0.1 * 0.75})
    assert probabilities(small_kb, MAN_40, onset_sudden=P) == pytest.approx(expected)
    assert probabilities(small_kb, MAN_40, onset_sudden=P, onset_gradual=A) == pytest.approx(
        expected
    )


def test_correlated_findings_in_a_cluster_are_not_counted_twice(small_kb: KnowledgeBase) -> None:
    # b (usually 0.8 vs rarely 0.08) is stronger evidence than c (often 0.5 vs 0.08): only b counts
    both = probabilities(small_kb, MAN_40, b=P, c=P)
    assert both == pytest.approx(probabilities(small_kb, MAN_40, b=P))
    _, superseded = counted_rows(small_kb, {"b": P, "c": P})
    assert superseded == {"c": "b"}


def test_pain_that_builds_in_a_held_posture_and_eases_on_moving_counts_once(
    kb: KnowledgeBase,
) -> None:
    # Two questions, one phenomenon (cluster `posture`): counting both would double the evidence
    # for a postural ache against everything else, a dissection included.
    answers = {"worse_with_sitting": P, "eased_by_position_change": P}
    _, superseded = counted_rows(kb, answers)
    assert len(superseded) == 1
    [(set_aside, kept)] = superseded.items()
    assert posterior(kb, MAN_40, answers).probabilities == pytest.approx(
        posterior(kb, MAN_40, {kept: P}).probabilities
    )
    assert {set_aside, kept} == set(answers)


def test_order_of_answers_does_not_matter(small_kb: KnowledgeBase) -> None:
    one = posterior(small_kb, MAN_40, {"a": P, "onset_gradual": P, "c": A})
    two = posterior(small_kb, MAN_40, {"c": A, "onset_gradual": P, "a": P})
    assert one.probabilities == pytest.approx(two.probabilities)


def test_a_condition_impossible_for_the_group_stays_at_zero(kb: KnowledgeBase) -> None:
    man = posterior(kb, Patient(30, Sex.MALE), {})
    assert man.of("pregnancy_back_pain") == 0.0
    assert sum(man.probabilities) == pytest.approx(1.0)


@st.composite
def answered(draw: st.DrawFn, kb: KnowledgeBase) -> tuple[Patient, dict[str, AnswerState]]:
    """A person and a random, consistent set of answers from the real knowledge base."""
    from midback.engine.evidence import applies

    patient = Patient(draw(st.integers(12, 100)), draw(st.sampled_from(list(Sex))))
    evidence: dict[str, AnswerState] = {}
    questions = draw(st.lists(st.sampled_from(kb.questions), unique_by=lambda q: q.id, max_size=25))
    for question in sorted(questions, key=lambda q: q.index):
        if not applies(kb, question, patient, evidence):
            continue
        if question.kind == "yes_no":
            evidence[question.id] = draw(st.sampled_from(list(AnswerState)))
        elif draw(st.booleans()):
            evidence[draw(st.sampled_from(question.findings))] = P
        else:
            evidence[question.findings[0]] = draw(st.sampled_from([A, U]))
    return patient, evidence


@settings(max_examples=150, deadline=None, derandomize=True)
@given(data=st.data())
def test_the_fast_posterior_agrees_with_the_slow_oracle(
    kb: KnowledgeBase, data: st.DataObject
) -> None:
    patient, evidence = data.draw(answered(kb))
    fast = posterior(kb, patient, evidence)
    slow = reference_posterior(kb, patient, evidence)
    assert fast.probabilities.sum() == pytest.approx(1.0)
    assert fast.probabilities == pytest.approx([slow[c.id] for c in kb.conditions], abs=1e-9)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(data=st.data())
def test_shuffling_the_answers_never_changes_the_posterior(
    kb: KnowledgeBase, data: st.DataObject
) -> None:
    patient, evidence = data.draw(answered(kb))
    shuffled = dict(data.draw(st.permutations(list(evidence.items()))))
    assert posterior(kb, patient, shuffled).probabilities == pytest.approx(
        posterior(kb, patient, evidence).probabilities, abs=1e-12
    )
