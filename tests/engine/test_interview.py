"""The interview policy: screen first, follow up and explain red flags, check the warning signs
of the leading cause, stop when settled."""

from __future__ import annotations

import pytest

from midback.domain import AnswerState, Evidence, Patient, Sex, TriageLevel
from midback.engine import Assessment, EvidenceError
from midback.knowledge import KnowledgeBase
from tests.engine.interviewing import (
    SEVERE_TODAY,
    SUDDEN_SEVERE,
    a_no,
    finish,
    interview_saying_no,
    level_and_rules,
    told,
)

MAN_40 = Patient(40, Sex.MALE)


def test_the_emergency_screen_comes_first_in_order(small_kb: KnowledgeBase) -> None:
    assessment = Assessment(small_kb, MAN_40)
    first = assessment.next_question()
    assert (first.question.id, first.phase) == ("a", "screen")
    assessment.answer("a", "no")
    assert assessment.next_question().question.id == "onset"


def test_an_emergency_stops_the_interview_at_once(small_kb: KnowledgeBase) -> None:
    assessment = Assessment(small_kb, MAN_40)
    assessment.answer("a", "yes")
    assessment.answer("onset", "onset_sudden")
    assert assessment.next_question() is None
    assert assessment.stop_reason() == "emergency"
    assert assessment.result().triage.level.value == "call_ambulance"


def test_a_question_that_does_not_apply_is_never_asked(small_kb: KnowledgeBase) -> None:
    assessment = Assessment(small_kb, MAN_40)
    asked = []
    while (step := assessment.next_question()) is not None:
        asked.append(step.question.id)
        assessment.answer(step.question.id, "unknown")
    assert "pregnant" not in asked
    with pytest.raises(EvidenceError, match="does not apply"):
        assessment.answer("pregnant", "no")


def test_once_a_cluster_is_answered_its_other_questions_are_not_asked(
    small_kb: KnowledgeBase,
) -> None:
    assessment = Assessment(small_kb, MAN_40)
    for question, answer in (("a", "no"), ("onset", "onset_gradual"), ("b", "yes")):
        assessment.answer(question, answer)
    asked = []
    while (step := assessment.next_question()) is not None:
        asked.append(step.question.id)
        assessment.answer(step.question.id, "unknown")
    assert "c" not in asked


def test_the_interview_stops_when_nothing_informative_is_left(small_kb: KnowledgeBase) -> None:
    assessment = Assessment(small_kb, MAN_40)
    for _ in range(20):
        step = assessment.next_question()
        if step is None:
            break
        assessment.answer(step.question.id, "unknown")
    assert assessment.next_question() is None
    assert assessment.stop_reason() in {"no_informative_question", "settled", "question_limit"}


def test_an_emergency_department_finding_still_asks_what_would_mean_an_ambulance(
    kb: KnowledgeBase,
) -> None:
    # Chest pain that started suddenly sends to the emergency department; one more "yes"
    # (tearing pain, sweating, breathlessness...) would mean an ambulance, so that is asked next.
    assessment = Assessment(kb, Patient(61, Sex.MALE))
    assessment.answer("chest_pain", "yes")
    assessment.answer("onset", "onset_sudden")
    step = assessment.next_question()
    assert step is not None and step.phase == "red_flag_followup"
    assessment.answer(
        step.question.id, "yes" if step.question.kind == "yes_no" else step.question.findings[0]
    )
    result = assessment.result()
    assert result.triage.level.value == "call_ambulance"
    assert assessment.stop_reason() == "emergency"


def test_once_an_emergency_is_certain_no_question_asks_only_how_to_get_to_hospital(
    kb: KnowledgeBase,
) -> None:
    # Weak legs send the person to the emergency department whatever else is answered; the
    # sudden severe pain's explanations could then only turn "call an ambulance" into "go to
    # the emergency department", so they are not asked and the ambulance stands.
    evidence = [*SUDDEN_SEVERE, Evidence("leg_weakness", AnswerState.PRESENT)]
    assessment = Assessment(kb, Patient(58, Sex.MALE), evidence)
    rule = next(r for r in kb.red_flags if r.id == "sudden_severe_pain_unexplained")
    explanations = {kb.question_for(f).id for f in rule.unless}
    asked = interview_saying_no(assessment)
    assert explanations.isdisjoint(asked)
    assert assessment.result().triage.level.value == "call_ambulance"


def test_no_explanation_is_asked_when_another_rule_already_sets_the_level(
    kb: KnowledgeBase,
) -> None:
    evidence = [*SEVERE_TODAY, Evidence("character_tearing", AnswerState.PRESENT)]
    assessment = Assessment(kb, Patient(60, Sex.MALE), evidence)
    assessment.add("onset_sudden", AnswerState.PRESENT)
    assert assessment.result().triage.level.value == "call_ambulance"
    step = assessment.next_question()
    assert step is None or step.because_of != "severe_new_pain_unexplained"


def test_before_settling_on_a_cause_its_warning_signs_are_asked(kb: KnowledgeBase) -> None:
    # Classic renal colic settles on a kidney stone; before stopping, the interview checks the
    # warning signs of that cause (here: severe pain that began today), as a clinician would.
    story = (
        "location_lower_ribs_flank",
        "pain_to_groin",
        "character_colicky",
        "restless_with_pain",
    )
    assessment = Assessment(
        kb, Patient(29, Sex.MALE), [Evidence(f, AnswerState.PRESENT) for f in story]
    )
    while (step := assessment.next_question()) is not None and step.question.id != "severity":
        assessment.answer(step.question.id, a_no(step.question))
    assert step is not None
    assert step.because_of == "severe_new_pain_unexplained"
    assert assessment.posterior().top()[0] == "kidney_stone"
    assert "kidney_stone" in next(r.points_to for r in kb.red_flags if r.id == step.because_of)
    assessment.answer("severity", 9)
    assessment.answer("duration", "duration_under_1_day")
    while (step := assessment.next_question()) is not None:
        assessment.answer(step.question.id, a_no(step.question))
    assert assessment.result().triage.level.value == "emergency_department"


def test_before_stopping_a_one_answer_emergency_of_a_cause_in_play_is_asked(
    kb: KnowledgeBase,
) -> None:
    # Months of stomach pain after meals, and the patient cannot answer most questions: the
    # interview runs out of questions without settling. A peptic ulcer is still in play, and one
    # "yes" to black stools would mean the emergency department, so that is asked before it stops.
    ulcer_story = ("upper_abdominal_pain", "location_one_side", "worse_after_meals")
    assessment = told(kb, Patient(55, Sex.MALE), *ulcer_story)
    asked = finish(assessment, otherwise="unknown")
    assert ("gi_bleeding", "gut_bleeding") in asked
    peptic_ulcer = kb.condition_index["peptic_ulcer"]
    threshold = kb.policy.stop.warning_signs_min_probability
    assert assessment.posterior().probabilities[peptic_ulcer] >= threshold


def test_a_warning_sign_answered_yes_before_stopping_sets_the_level(kb: KnowledgeBase) -> None:
    ulcer_story = ("upper_abdominal_pain", "location_one_side", "worse_after_meals")
    assessment = told(kb, Patient(55, Sex.MALE), *ulcer_story)
    finish(assessment, yes=frozenset({"gi_bleeding"}), otherwise="unknown")
    assert assessment.stop_reason() == "emergency"
    assert level_and_rules(assessment)[0] == "emergency_department"


def test_a_question_that_waits_for_another_answer_is_still_open(kb: KnowledgeBase) -> None:
    assessment = Assessment(kb, MAN_40, [Evidence("fever", AnswerState.PRESENT)])
    assert not assessment.askable("rigors")  # applies only once chills is "yes"
    assert assessment.could_ask("rigors")
    assessment.answer("chills", "no")
    assert not assessment.could_ask("rigors")


def test_an_emergency_found_early_still_finishes_the_emergency_screen(kb: KnowledgeBase) -> None:
    # The complaint alone already means the emergency department; the screen still asks about
    # chest pain, breathlessness and fainting, because a "yes" there means an ambulance instead.
    assessment = told(kb, Patient(82, Sex.FEMALE), "upper_abdominal_pain")
    asked = [q for q, _ in finish(assessment, yes=frozenset({"fainting", "chest_pain"}))]
    assert {"chest_pain", "shortness_of_breath", "fainting"} <= set(asked)
    level, _ = level_and_rules(assessment)
    assert level == "call_ambulance"


def test_how_bad_the_pain_is_is_asked_before_the_interview_ends(kb: KnowledgeBase) -> None:
    # A man of 42 whose mid-back pain began moving a sofa, who says "no" to every yes/no
    # question he is not sure of: severity is never among the most informative questions, yet
    # 10 red-flag rules need it. Answered "8 out of 10", it brings the follow-up question about
    # injecting drugs, whose "yes" means the emergency department (a spinal infection).
    assessment = told(kb, Patient(42, Sex.MALE), "location_central_spine", "lifting_trigger")
    answers = {"severity": 8.0, "injecting_drugs": "yes"}
    asked = []
    while (step := assessment.next_question()) is not None:
        asked.append(step.question.id)
        assessment.answer(step.question.id, answers.get(step.question.id, a_no(step.question)))
    assert asked.index("severity") < asked.index("injecting_drugs")
    level, rules = level_and_rules(assessment)
    assert level == "emergency_department"
    assert "infection_risk_with_nonmechanical_pain" in rules


def test_a_past_cancer_is_asked_before_the_interview_ends_however_unlikely_a_growth(
    kb: KnowledgeBase,
) -> None:
    # A dull, severe ache in a woman of 37: a spinal metastasis is very unlikely, and no
    # question about it is among the most informative, but a clinician asks everyone with back
    # pain about a past cancer, the strongest single clue (LR+ 23.7, Henschke 2007).
    had_cancer = told(kb, Patient(37, Sex.FEMALE), "character_dull_ache", "severity_severe")
    asked = [q for q, _ in finish(had_cancer, yes=frozenset({"cancer_history"}))]
    assert "cancer_history" in asked
    level, rules = level_and_rules(had_cancer)
    assert "cancer_history" in rules
    assert TriageLevel(level) >= TriageLevel.SEE_DOCTOR_24H
    # Told "don't know" to everything else, it is still asked.
    unsure = told(kb, Patient(37, Sex.FEMALE), "character_dull_ache", "severity_severe")
    assert "cancer_history" in [q for q, _ in finish(unsure, otherwise="unknown")]


def test_a_pain_already_seen_and_no_better_is_asked_about_before_the_interview_ends(
    kb: KnowledgeBase,
) -> None:
    # Three weeks of pain in the middle of the back and little else: the interview would end
    # at a routine appointment. A clinician asks whether anyone has seen it already: most spinal
    # abscesses had an earlier visit in the month before they were found (Durant 2025).
    story = ("location_central_spine", "duration_days_to_6_weeks")
    bounced_back = told(kb, Patient(56, Sex.MALE), *story)
    asked = [q for q, _ in finish(bounced_back, yes=frozenset({"seen_recently_not_better"}))]
    assert "seen_recently_not_better" in asked
    level, rules = level_and_rules(bounced_back)
    assert "seen_recently_not_better" in rules
    assert TriageLevel(level) >= TriageLevel.SEE_DOCTOR_24H
    # A long-standing pain that a doctor has reviewed is not a missed diagnosis by that alone.
    chronic = told(kb, Patient(56, Sex.MALE), "location_central_spine", "duration_over_3_months")
    finish(chronic, yes=frozenset({"seen_recently_not_better"}), otherwise="unknown")
    assert "seen_recently_not_better" not in level_and_rules(chronic)[1]
