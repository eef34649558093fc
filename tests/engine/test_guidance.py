"""The advice that comes with a result: what to do now, self-care, what a doctor may offer."""

from __future__ import annotations

from midback.domain import AnswerState, Evidence, Patient, Sex
from midback.engine import Assessment
from midback.engine.result import urgent_causes
from midback.knowledge import KnowledgeBase

SCREEN_CLEAR = ["chest_pain", "shortness_of_breath", "fainting", "leg_weakness"]


def _result(kb: KnowledgeBase, patient: Patient, present: list[str], absent: list[str]):
    evidence = [Evidence(f, AnswerState.PRESENT) for f in present]
    evidence += [Evidence(f, AnswerState.ABSENT) for f in absent]
    return Assessment(kb, patient, evidence).result()


def _advice_ids(kb: KnowledgeBase, condition_id: str) -> set[str]:
    condition = kb.condition(condition_id)
    return {item.id for item in (*condition.helps, *condition.does_not_help)}


def test_when_sent_to_hospital_only_the_urgent_causes_are_advised_on(kb: KnowledgeBase) -> None:
    # Sudden sharp pain at the top of the stomach since this morning: a rib joint is still the
    # likeliest single cause, but the person is sent to hospital for pancreatitis, an ulcer or
    # the gallbladder. Manipulation or a muscle relaxant for the rib joint must not be offered
    # as if it were an alternative to going now.
    result = _result(
        kb,
        Patient(51, Sex.FEMALE),
        ["upper_abdominal_pain", "onset_sudden", "character_sharp", "duration_under_1_day"],
        SCREEN_CLEAR,
    )
    assert result.triage.level.is_emergency
    assert result.conditions[0].id == "thoracic_joint_dysfunction"
    offered = {item.id for item in (*result.guidance.treatments, *result.guidance.not_recommended)}
    urgent = urgent_causes(result.triage)
    assert "pancreatitis" in urgent
    assert offered & _advice_ids(kb, "pancreatitis")
    for condition in kb.conditions:
        if condition.id not in urgent and not condition.triage_level.is_emergency:
            own = _advice_ids(kb, condition.id) - set().union(*(_advice_ids(kb, c) for c in urgent))
            assert not offered & own, condition.id
    assert not result.guidance.self_care


def test_for_ordinary_pain_the_likely_causes_are_advised_on(kb: KnowledgeBase) -> None:
    # An ache between the shoulder blades after days at a desk: self-care and what a
    # physiotherapist may offer for postural pain.
    result = _result(
        kb,
        Patient(30, Sex.FEMALE),
        [
            "location_between_shoulder_blades",
            "onset_gradual",
            "desk_work",
            "worse_with_sitting",
            "eased_by_position_change",
            "severity_mild",
        ],
        [*SCREEN_CLEAR, "fever", "trauma_major", "night_pain"],
    )
    assert not result.triage.level.is_emergency
    assert urgent_causes(result.triage) == set()
    top = result.conditions[0].id
    offered = {
        item.id
        for item in (
            *result.guidance.self_care,
            *result.guidance.treatments,
            *result.guidance.not_recommended,
        )
    }
    assert result.guidance.self_care
    assert _advice_ids(kb, top) <= offered
