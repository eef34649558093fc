"""Emergency rules as an interview meets them: which explanations are asked, what "don't know"
leaves in force, and the level a story ends at when the person can say little else."""

from __future__ import annotations

import pytest

from midback.domain import AnswerState, Evidence, Patient, Sex, TriageLevel
from midback.engine import Assessment
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


def test_before_unexplained_severe_pain_sets_the_level_its_explanations_are_asked(
    kb: KnowledgeBase,
) -> None:
    # Severe pain that began today goes to the emergency department unless an injury, a strain
    # or movement explains it; those questions are asked before the interview ends.
    rule = next(r for r in kb.red_flags if r.id == "severe_new_pain_unexplained")
    assessment = Assessment(kb, Patient(35, Sex.MALE), SEVERE_TODAY)
    asked = set()
    while (step := assessment.next_question()) is not None and step.because_of == rule.id:
        asked.add(step.question.id)
        assessment.answer(step.question.id, a_no(step.question))
    assert asked == {kb.question_for(f).id for f in rule.unless}
    result = assessment.result()
    assert rule.id in [r.id for r in result.triage.red_flags]
    assert result.triage.level.value == "emergency_department"


def test_a_strain_explains_severe_new_pain_away(kb: KnowledgeBase) -> None:
    assessment = Assessment(kb, Patient(35, Sex.MALE), SEVERE_TODAY)
    step = assessment.next_question()
    assert step is not None and step.because_of == "severe_new_pain_unexplained"
    assessment.add("lifting_trigger", AnswerState.PRESENT)
    assert "severe_new_pain_unexplained" not in [r.id for r in assessment.fired()]
    follow = assessment.next_question()
    assert follow is None or follow.because_of != "severe_new_pain_unexplained"


def test_sudden_severe_pain_with_nothing_to_explain_it_calls_an_ambulance(
    kb: KnowledgeBase,
) -> None:
    # The typical start of an aortic dissection: NHS advice is to call an emergency number,
    # not to make one's own way to hospital. Its explanations are asked first.
    rule = next(r for r in kb.red_flags if r.id == "sudden_severe_pain_unexplained")
    assessment = Assessment(kb, Patient(58, Sex.MALE), SUDDEN_SEVERE)
    asked = interview_saying_no(assessment)
    assert {kb.question_for(f).id for f in rule.unless} <= set(asked)
    result = assessment.result()
    assert rule.id in [r.id for r in result.triage.red_flags]
    assert result.triage.level.value == "call_ambulance"


@pytest.mark.parametrize(
    ("explanation", "level"),
    [
        # A strain or an injury explains it away altogether.
        (["lifting_trigger"], None),
        (["trauma_minor"], None),
        # Wave-like loin pain is a kidney stone's: the emergency department, not an ambulance.
        (["location_lower_ribs_flank", "character_colicky"], "emergency_department"),
    ],
)
def test_an_explanation_of_sudden_severe_pain_takes_away_the_ambulance(
    kb: KnowledgeBase, explanation: list[str], level: str | None
) -> None:
    evidence = [*SUDDEN_SEVERE, *(Evidence(f, AnswerState.PRESENT) for f in explanation)]
    assessment = Assessment(kb, Patient(58, Sex.MALE), evidence)
    interview_saying_no(assessment)
    result = assessment.result()
    assert "sudden_severe_pain_unexplained" not in [r.id for r in result.triage.red_flags]
    assert result.triage.level.value != "call_ambulance"
    if level is not None:
        assert result.triage.level.value == level


def test_an_older_pain_that_suddenly_got_much_worse_today_counts_as_new_pain(
    kb: KnowledgeBase,
) -> None:
    # Weeks of a pain that came and went, and today it is suddenly much worse and severe: the
    # pattern of unstable angina felt in the back. Unless an injury, a strain or movement
    # explains it, that means the emergency department, as for pain that began today.
    evidence = [
        Evidence(f, AnswerState.PRESENT)
        for f in ("location_between_shoulder_blades", "previous_episodes", "severity_severe")
    ]
    assessment = Assessment(kb, Patient(49, Sex.FEMALE), evidence)
    assert assessment.result().triage.level.value != "emergency_department"
    assessment.add("sudden_worsening", AnswerState.PRESENT)
    while (step := assessment.next_question()) is not None:
        assessment.answer(step.question.id, a_no(step.question))
    result = assessment.result()
    assert "severe_new_pain_unexplained" in [r.id for r in result.triage.red_flags]
    assert result.triage.level.value == "emergency_department"


def test_with_a_fever_and_kidney_pain_the_signs_of_sepsis_are_asked(kb: KnowledgeBase) -> None:
    # A kidney infection is in play; before the interview ends it asks about confusion, blotchy
    # skin, no urine or a feeling of doom, and a "yes" means calling an ambulance.
    assessment = told(
        kb, Patient(30, Sex.FEMALE), "location_lower_ribs_flank", "fever", "urinary_symptoms"
    )
    asked = [question for question, _ in finish(assessment, yes=frozenset({"sepsis_signs"}))]
    assert "sepsis_signs" in asked
    level, rules = level_and_rules(assessment)
    assert "sepsis_or_shock_signs" in rules
    assert level == "call_ambulance"


def test_a_kidney_infection_with_rigors_is_followed_up_through_chills(kb: KnowledgeBase) -> None:
    # Fever and loin pain: the interview asks about chills, and then (a question that only
    # applies after chills) about shaking fits; both "yes" is a sign of sepsis (UK Sepsis Trust,
    # NICE NG111), and shaking chills make a bloodstream infection far more likely.
    assessment = told(kb, Patient(36, Sex.MALE), "location_lower_ribs_flank", "fever")
    asked = [q for q, _ in finish(assessment, yes=frozenset({"chills", "rigors"}))]
    assert asked.index("chills") < asked.index("rigors")
    level, rules = level_and_rules(assessment)
    assert "rigors_sign_of_sepsis" in rules
    assert level == "emergency_department"


def test_shaking_fits_count_when_nobody_took_a_temperature(kb: KnowledgeBase) -> None:
    # Severe back pain with vomiting, and uncontrollable shivering, but the person does not know
    # their temperature: rigors alone are a sign of sepsis, so the interview asks about them and
    # sends the person to hospital rather than to a doctor tomorrow.
    assessment = told(kb, Patient(27, Sex.FEMALE), "severity_severe", "nausea_vomiting")
    asked = [q for q, _ in finish(assessment, yes=frozenset({"chills", "rigors"}))]
    assert "rigors" in asked
    level, rules = level_and_rules(assessment)
    assert "rigors_sign_of_sepsis" in rules
    assert level == "emergency_department"


def test_pressing_back_pain_spreading_to_the_jaw_is_heart_pain_until_shown_otherwise(
    kb: KnowledgeBase,
) -> None:
    # Days of a mild, tight discomfort across the back that runs up into the jaw, no chest pain:
    # the pattern of cardiac pain felt in the back goes to the emergency department.
    assessment = told(
        kb, Patient(50, Sex.MALE), "character_pressure", "pain_spreads_jaw_arm", "severity_mild"
    )
    assessment.add("chest_pain", AnswerState.ABSENT)
    finish(assessment)
    level, rules = level_and_rules(assessment)
    assert "cardiac_type_pain_spreading" in rules
    assert TriageLevel(level) >= TriageLevel.EMERGENCY_DEPARTMENT


def test_mild_soreness_where_an_epidural_went_in_is_not_treated_as_infection(
    kb: KnowledgeBase,
) -> None:
    # A mild ache on the spine where an epidural went in, days after an operation, with no fever:
    # common and harmless (about 1 in 11 after an epidural). Moderate pain there is checked within
    # a day, because a spinal infection is often present without fever.
    after_epidural = ("location_central_spine", "recent_infection_or_procedure")
    mild = told(kb, Patient(44, Sex.FEMALE), *after_epidural, "severity_mild")
    finish(mild)
    _, rules = level_and_rules(mild)
    assert "infection_risk_without_fever" not in rules

    moderate = told(kb, Patient(44, Sex.FEMALE), *after_epidural, "severity_moderate")
    finish(moderate)
    level, rules = level_and_rules(moderate)
    assert "infection_risk_without_fever" in rules
    assert TriageLevel(level) >= TriageLevel.SEE_DOCTOR_24H


def test_after_a_spinal_procedure_the_site_is_asked_about(kb: KnowledgeBase) -> None:
    # Mild pain on the spine where an injection went in, no fever: the interview still asks
    # whether the site is red, swollen or leaking, and a "yes" means a same-day hospital visit,
    # because a spinal infection after a procedure often has no fever.
    after_injection = ("location_central_spine", "recent_infection_or_procedure", "severity_mild")
    red_site = told(kb, Patient(62, Sex.MALE), *after_injection)
    asked = [q for q, _ in finish(red_site, yes=frozenset({"procedure_site_signs"}))]
    assert "procedure_site_signs" in asked
    level, rules = level_and_rules(red_site)
    assert "procedure_site_infection" in rules
    assert level == "emergency_department"

    clean_site = told(kb, Patient(62, Sex.MALE), *after_injection)
    finish(clean_site, yes=frozenset({"worse_with_movement", "pressing_reproduces"}))
    level, rules = level_and_rules(clean_site)
    assert "procedure_site_infection" not in rules
    assert TriageLevel(level) < TriageLevel.EMERGENCY_DEPARTMENT


def test_an_older_person_with_pain_at_the_top_of_the_stomach_goes_the_same_day(
    kb: KnowledgeBase,
) -> None:
    # At 82, new pain at the top of the stomach going into the back can be a heart attack, an
    # inflamed gallbladder or pancreas, or a perforated ulcer, even with nothing else to go on.
    assessment = told(kb, Patient(82, Sex.FEMALE), "upper_abdominal_pain")
    finish(assessment, otherwise="unknown")
    level, rules = level_and_rules(assessment)
    assert "older_person_upper_abdominal_pain" in rules
    assert level == "emergency_department"
    # Months of the same pain is not what the rule is about.
    long_standing = told(
        kb, Patient(82, Sex.FEMALE), "upper_abdominal_pain", "duration_over_3_months"
    )
    finish(long_standing, otherwise="unknown")
    _, rules = level_and_rules(long_standing)
    assert "older_person_upper_abdominal_pain" not in rules


def test_severe_pain_at_the_top_of_the_stomach_goes_the_same_day_at_any_age(
    kb: KnowledgeBase,
) -> None:
    # At 45, severe pain high in the middle of the stomach going through to the back, with
    # nothing else known: acute pancreatitis or a perforated ulcer until shown otherwise.
    severe = told(kb, Patient(45, Sex.FEMALE), "upper_abdominal_pain", "severity_severe")
    finish(severe, otherwise="unknown")
    level, rules = level_and_rules(severe)
    assert "severe_upper_abdominal_pain" in rules
    assert level == "emergency_department"
    # Told only of the belly pain, the interview asks how bad it is and how it began.
    told_little = told(kb, Patient(45, Sex.FEMALE), "upper_abdominal_pain")
    asked = [q for q, _ in finish(told_little, otherwise="unknown")]
    assert {"severity", "onset"} <= set(asked)
    # Months of the same pain is not what the rule is about.
    long_standing = told(
        kb,
        Patient(45, Sex.FEMALE),
        "upper_abdominal_pain",
        "severity_severe",
        "duration_over_3_months",
    )
    finish(long_standing, otherwise="unknown")
    _, rules = level_and_rules(long_standing)
    assert "severe_upper_abdominal_pain" not in rules


def test_belly_pain_with_vomiting_in_someone_with_diabetes_goes_the_same_day(
    kb: KnowledgeBase,
) -> None:
    # Stomach pain with vomiting in someone with diabetes can be ketoacidosis as well as
    # pancreatitis; the interview asks about diabetes once the person says they are being sick.
    story = ("upper_abdominal_pain", "nausea_vomiting")
    with_diabetes = told(kb, Patient(55, Sex.FEMALE), *story)
    asked = [q for q, _ in finish(with_diabetes, yes=frozenset({"diabetes"}))]
    assert "diabetes" in asked
    level, rules = level_and_rules(with_diabetes)
    assert "diabetes_vomiting_with_belly_pain" in rules
    assert level == "emergency_department"

    without = told(kb, Patient(55, Sex.FEMALE), *story)
    finish(without)
    _, rules = level_and_rules(without)
    assert "diabetes_vomiting_with_belly_pain" not in rules


@pytest.mark.parametrize(
    ("story", "rule"),
    [
        (("chest_pain", "chest_pain_now"), "chest_pain_now_unexplained"),
        (("worse_with_breathing",), "pleuritic_pain_today_unexplained"),
    ],
)
def test_not_knowing_when_the_pain_began_does_not_take_away_an_emergency(
    kb: KnowledgeBase, story: tuple[str, ...], rule: str
) -> None:
    # Chest pain right now, or pain that catches on breathing in: an emergency unless it is
    # known to be old. Someone who cannot say how long it has lasted is sent the same day,
    # not reassured; how long it has lasted is asked as the first explanation.
    assessment = told(kb, Patient(33, Sex.FEMALE), *story)
    asked = finish(assessment, otherwise="unknown")
    assert asked[0] == ("duration", rule)
    level, rules = level_and_rules(assessment)
    assert rule in rules
    assert level == "emergency_department"


@pytest.mark.parametrize(
    ("story", "rule", "old"),
    [
        (("chest_pain", "chest_pain_now"), "chest_pain_now_unexplained", "duration_over_3_months"),
        (("worse_with_breathing",), "pleuritic_pain_today_unexplained", "duration_days_to_6_weeks"),
    ],
)
def test_a_pain_known_to_be_old_is_not_treated_as_new(
    kb: KnowledgeBase, story: tuple[str, ...], rule: str, old: str
) -> None:
    assessment = told(kb, Patient(33, Sex.FEMALE), *story, old)
    finish(assessment, otherwise="unknown")
    assert rule not in level_and_rules(assessment)[1]


def test_severe_pain_with_breathlessness_goes_the_same_day_with_nothing_else_known(
    kb: KnowledgeBase,
) -> None:
    # Severe pain and difficult breathing, and the person cannot answer anything else: no
    # sudden start, no pain on breathing and no clot risk is known, yet it is an emergency.
    assessment = told(kb, Patient(28, Sex.FEMALE), "shortness_of_breath", "severity_severe")
    finish(assessment, otherwise="unknown")
    level, rules = level_and_rules(assessment)
    assert "severe_pain_with_breathlessness" in rules
    assert level in {"emergency_department", "call_ambulance"}


def test_breathlessness_that_came_on_slowly_is_not_reassured(kb: KnowledgeBase) -> None:
    # Moderate pain for a week with breathlessness on the stairs, and "no" to every warning
    # sign asked: not an emergency by any rule, but NHS advice for being more short of breath
    # than usual is urgent help, so never self-care or a routine appointment.
    story = (
        "shortness_of_breath",
        "severity_moderate",
        "duration_days_to_6_weeks",
        "onset_gradual",
    )
    assessment = told(kb, Patient(25, Sex.MALE), *story)
    finish(assessment)
    level, rules = level_and_rules(assessment)
    assert "breathless" in rules
    assert "severe_pain_with_breathlessness" not in rules
    assert TriageLevel(level) >= TriageLevel.SEE_DOCTOR_24H


def test_a_strain_does_not_explain_away_breathlessness_with_pain_on_breathing(
    kb: KnowledgeBase,
) -> None:
    # A lift and a tender spot explain new pain on breathing away, but not when the person is
    # also short of breath: a clot in the lung can follow a lift and hurt when pressed, so the
    # emergency stands. This is the known cost of hazard H6: rib strains that make breathing
    # difficult are sent to the emergency department too.
    story = ("worse_with_breathing", "lifting_trigger", "pressing_reproduces")
    assessment = told(kb, Patient(30, Sex.MALE), *story)
    assessment.answer("shortness_of_breath", "yes")
    finish(assessment)
    level, rules = level_and_rules(assessment)
    assert "pleuritic_pain_today_unexplained" not in rules
    assert "sudden_breathless" in rules
    assert level == "emergency_department"


def test_an_effort_pain_that_got_much_worse_today_is_asked_about_and_sent_for_emergency_care(
    kb: KnowledgeBase,
) -> None:
    # A month of back ache on walking uphill that goes off with rest, today much worse and there
    # at rest (unstable angina), told by someone who can say little else: the interview asks
    # whether the pain suddenly got worse, and the answer sends them to emergency care.
    assessment = told(kb, Patient(66, Sex.MALE), "exertional", "character_dull_ache")
    asked = finish(assessment, yes=frozenset({"sudden_worsening"}), otherwise="unknown")
    assert "sudden_worsening" in [question for question, _ in asked]
    level, rules = level_and_rules(assessment)
    assert "effort_pain_suddenly_worse" in rules
    assert TriageLevel(level) >= TriageLevel.EMERGENCY_DEPARTMENT
