"""Properties of triage over random answers (Hypothesis, derandomised for CI)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from midback.domain import AnswerState
from midback.engine import EvidenceError, posterior, triage
from midback.engine.evidence import check_consistent
from midback.engine.triage import answer_counts
from midback.knowledge import KnowledgeBase, load_knowledge
from tests.engine.test_inference import answered
from tests.engine.test_red_flags import case_for, ways_to_meet

KB = load_knowledge()
WAYS = [(rule, leaves) for rule in KB.red_flags for leaves in ways_to_meet(rule.when)]


def level(kb: KnowledgeBase, patient, evidence):
    return triage(kb, patient, evidence, posterior(kb, patient, evidence)).level


@settings(max_examples=200, deadline=None, derandomize=True)
@given(data=st.data())
def test_whatever_else_is_said_a_red_flag_sets_at_least_its_level(data: st.DataObject) -> None:
    patient, evidence = data.draw(answered(KB))
    rule, leaves = data.draw(st.sampled_from(WAYS))
    rule_patient, needed = case_for(KB, leaves)
    if (rule_patient.age, rule_patient.sex) != (patient.age, patient.sex):
        patient = rule_patient
    # Whatever else is said, except an explanation that the rule itself names (`unless`).
    combined = {
        f: s
        for f, s in evidence.items()
        if KB.question_for(f).id not in {KB.question_for(n).id for n in needed}
        and not (f in rule.unless and s == AnswerState.PRESENT)
    }
    combined.update(needed)
    try:
        check_consistent(KB, patient, combined)
    except EvidenceError:
        return  # the random answers contradict the rule's (e.g. a question that does not apply)
    assert level(KB, patient, combined) >= rule.level


@settings(max_examples=100, deadline=None, derandomize=True)
@given(data=st.data())
def test_dont_know_never_lowers_the_triage_and_raises_it_only_to_the_uncertainty_floor(
    data: st.DataObject,
) -> None:
    patient, evidence = data.draw(answered(KB))
    known = {f: s for f, s in evidence.items() if s != AnswerState.UNKNOWN}
    with_unknowns, without = level(KB, patient, evidence), level(KB, patient, known)
    assert with_unknowns >= without
    if with_unknowns > without:
        answered_count, unknown = answer_counts(KB, evidence)
        floor = KB.policy.uncertainty
        assert with_unknowns == floor.level
        assert answered_count >= floor.min_questions
        assert unknown >= floor.unknown_share * answered_count


def _screen_answers(value: AnswerState) -> dict[str, AnswerState]:
    """Every finding of the first ten yes/no questions that apply to a 40-year-old man."""
    from midback.domain import Patient, Sex

    patient = Patient(40, Sex.MALE)
    questions = [
        q
        for q in KB.questions
        if q.kind == "yes_no" and q.applies.allows(patient) and not q.applies.requires
    ][:10]
    return {q.findings[0]: value for q in questions}


def test_after_mostly_dont_know_the_result_does_not_reassure() -> None:
    from midback.domain import Patient, Sex

    patient = Patient(40, Sex.MALE)
    decision = triage(KB, patient, _screen_answers(AnswerState.UNKNOWN), posterior(KB, patient, {}))
    assert decision.level >= KB.policy.uncertainty.level
    assert "uncertainty" in [reason.kind for reason in decision.deciding_reasons]
    answered_no = _screen_answers(AnswerState.ABSENT)
    decision = triage(KB, patient, answered_no, posterior(KB, patient, answered_no))
    assert "uncertainty" not in [reason.kind for reason in decision.reasons]


@pytest.mark.parametrize("sex", ["female", "male"])
def test_with_no_answers_nobody_is_sent_to_an_emergency_department(sex: str) -> None:
    from midback.domain import Patient, Sex

    for age in (12, 25, 45, 65, 90):
        assert not level(KB, Patient(age, Sex(sex)), {}).is_emergency
