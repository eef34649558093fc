"""A pain a doctor has already diagnosed, felt just as usual (triage.yaml `known_pain`).

For the conditions listed there, "see a doctor" is for the diagnosis, which has been made; the
uncertainty floor's reason (causes that need a doctor's examination cannot be ruled out) is met
by the earlier diagnosis. Red-flag rules always apply, so the answer can lower the level only
from "see a doctor" to self-care.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from midback.domain import AnswerState, Evidence, Patient, Sex, TriageLevel
from midback.engine import Assessment, EvidenceError, posterior, triage
from midback.engine.evidence import check_consistent
from midback.knowledge import KnowledgeBase, load_knowledge
from tests.engine.test_inference import answered

KB = load_knowledge()
KNOWN = "known_diagnosed_pain"
PRESENT, ABSENT, UNKNOWN = AnswerState.PRESENT, AnswerState.ABSENT, AnswerState.UNKNOWN
WOMAN_45 = Patient(45, Sex.FEMALE)
FIBROMYALGIA_FLARE = {
    "widespread_pain": PRESENT,
    "fatigue_poor_sleep": PRESENT,
    "duration_over_3_months": PRESENT,
    "chest_pain": ABSENT,
    "shortness_of_breath": ABSENT,
    "fever": ABSENT,
    "leg_weakness": ABSENT,
}


def decide(patient: Patient, evidence: dict[str, AnswerState]):
    return triage(KB, patient, evidence, posterior(KB, patient, evidence))


def level(kb: KnowledgeBase, patient: Patient, evidence: dict[str, AnswerState]) -> TriageLevel:
    return triage(kb, patient, evidence, posterior(kb, patient, evidence)).level


def test_the_policy_covers_the_conditions_whose_level_is_for_a_diagnosis() -> None:
    policy = KB.policy.known_pain
    assert policy is not None and policy.finding == KNOWN
    for condition_id in policy.conditions:
        assert KB.condition(condition_id).triage_level == TriageLevel.SEE_DOCTOR


def test_a_usual_flare_of_diagnosed_fibromyalgia_is_self_care() -> None:
    undiagnosed = decide(WOMAN_45, FIBROMYALGIA_FLARE)
    assert undiagnosed.level == TriageLevel.SEE_DOCTOR
    known = decide(WOMAN_45, {**FIBROMYALGIA_FLARE, KNOWN: PRESENT})
    assert known.level == TriageLevel.SELF_CARE
    [reason] = known.reasons
    assert reason.kind == "reassurance" and "already diagnosed" in reason.text
    assert reason.findings == (KNOWN,) and reason.sources


def test_a_pain_that_is_new_or_different_changes_nothing_in_the_rules() -> None:
    different = decide(WOMAN_45, {**FIBROMYALGIA_FLARE, KNOWN: ABSENT})
    assert different.level == TriageLevel.SEE_DOCTOR


def test_a_known_pain_lifts_the_uncertainty_floor() -> None:
    mostly_unknown = {q.findings[0]: UNKNOWN for q in KB.questions if q.kind == "yes_no"}
    mostly_unknown = {
        f: s
        for f, s in mostly_unknown.items()
        if KB.question_for(f).applies.allows(WOMAN_45) and not KB.question_for(f).applies.requires
    }
    mostly_unknown.pop(KNOWN)
    assert decide(WOMAN_45, mostly_unknown).level == KB.policy.uncertainty.level
    lifted = decide(WOMAN_45, {**mostly_unknown, KNOWN: PRESENT})
    assert "uncertainty" not in [reason.kind for reason in lifted.reasons]


def test_a_known_pain_does_not_silence_a_warning_sign() -> None:
    with_fever = {**FIBROMYALGIA_FLARE, KNOWN: PRESENT, "fever": PRESENT}
    assert decide(WOMAN_45, with_fever).level >= TriageLevel.SEE_DOCTOR_24H
    with_chest_pain = {**FIBROMYALGIA_FLARE, KNOWN: PRESENT, "chest_pain": PRESENT}
    assert decide(WOMAN_45, with_chest_pain).level >= TriageLevel.SEE_DOCTOR_24H


# The same knowledge without the policy: no `known_pain`, and no rule explained away by it.
WITHOUT_POLICY = replace(
    KB,
    policy=replace(KB.policy, known_pain=None),
    red_flags=tuple(
        replace(rule, unless=tuple(f for f in rule.unless if f != KNOWN)) for rule in KB.red_flags
    ),
)


def _with_known_pain(patient: Patient, evidence: dict[str, AnswerState]):
    known = {**{f: s for f, s in evidence.items() if f != KNOWN}, KNOWN: PRESENT}
    try:
        check_consistent(KB, patient, known)
    except EvidenceError:
        return None
    return known


@settings(max_examples=300, deadline=None, derandomize=True)
@given(data=st.data())
def test_the_policy_lowers_the_level_only_from_see_a_doctor_to_self_care(
    data: st.DataObject,
) -> None:
    patient, evidence = data.draw(answered(KB))
    known = _with_known_pain(patient, evidence)
    assume(known is not None)
    assert known is not None
    with_policy = level(KB, patient, known)
    without = level(WITHOUT_POLICY, patient, known)
    assert with_policy <= without
    if with_policy < without:
        assert (without, with_policy) == (TriageLevel.SEE_DOCTOR, TriageLevel.SELF_CARE)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(data=st.data())
def test_saying_the_pain_is_known_never_takes_away_an_emergency(data: st.DataObject) -> None:
    patient, evidence = data.draw(answered(KB))
    known = _with_known_pain(patient, evidence)
    assume(known is not None)
    assert known is not None
    if level(KB, patient, evidence).is_emergency:
        assert level(KB, patient, known).is_emergency


def test_before_stopping_a_known_diagnosis_that_would_reassure_is_asked() -> None:
    # A teenager diagnosed with Scheuermann's last year, with the usual ache after sport: the
    # rounded-back and 6-week rules both ask for a doctor, and one answer explains both.
    teen = Patient(16, Sex.MALE)
    story = ["rounded_back", "duration_over_3_months", "character_dull_ache"]
    assessment = Assessment(KB, teen, [Evidence(f, PRESENT) for f in story])
    asked = []
    while (step := assessment.next_question()) is not None:
        asked.append(step.question.id)
        if step.question.id == KNOWN:
            assessment.answer(KNOWN, "yes")
        else:
            assessment.answer(
                step.question.id, "no" if step.question.kind == "yes_no" else "unknown"
            )
    assert KNOWN in asked
    screen = [q for q in KB.policy.screen if q in asked]
    assert asked.index(KNOWN) > max(asked.index(q) for q in screen)
    assert assessment.result().triage.level == TriageLevel.SELF_CARE
