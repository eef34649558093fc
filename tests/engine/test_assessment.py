"""An assessment's state: answers checked and mapped, undo, save and restore."""

from __future__ import annotations

import json

import pytest

from midback.domain import AnswerState, Evidence, Patient, Sex
from midback.engine import Assessment, EvidenceError
from midback.knowledge import KnowledgeBase

MAN_40 = Patient(40, Sex.MALE)


def test_numbers_map_to_their_band(small_kb: KnowledgeBase) -> None:
    assessment = Assessment(small_kb, MAN_40)
    assessment.answer("severity", 8)
    assert assessment.evidence == {"severity_high": AnswerState.PRESENT}
    with pytest.raises(EvidenceError, match="between 0 and 10"):
        Assessment(small_kb, MAN_40).answer("severity", 11)


def test_undo_takes_back_the_last_answer(small_kb: KnowledgeBase) -> None:
    assessment = Assessment(small_kb, MAN_40)
    assessment.answer("a", "yes")
    before = assessment.posterior().probabilities.copy()
    assessment.answer("onset", "unknown")
    assessment.answer("b", "yes")
    assert assessment.undo()
    assert assessment.undo()
    assert assessment.evidence == {"a": AnswerState.PRESENT}
    assert assessment.posterior().probabilities == pytest.approx(before)
    assert assessment.undo() and not assessment.undo()


def test_an_assessment_survives_a_round_trip_through_json(small_kb: KnowledgeBase) -> None:
    assessment = Assessment(small_kb, Patient(33, Sex.FEMALE))
    assessment.answer("a", "no")
    assessment.answer("onset", "unknown")
    assessment.answer("pregnant", "yes")
    restored = Assessment.from_dict(small_kb, json.loads(json.dumps(assessment.to_dict())))
    assert restored.evidence == assessment.evidence
    assert restored.posterior().probabilities == pytest.approx(assessment.posterior().probabilities)
    restored.undo()
    assert "pregnant" not in restored.evidence


def test_an_old_saved_dont_know_to_a_question_that_does_not_apply_is_left_out(
    small_kb: KnowledgeBase,
) -> None:
    # The API once accepted "don't know" to pregnancy for a man; such a record still opens.
    saved = {
        "format": 1,
        "age": 40,
        "sex": "male",
        "steps": [[{"id": "pregnant", "state": "unknown"}], [{"id": "a", "state": "present"}]],
    }
    restored = Assessment.from_dict(small_kb, saved)
    assert restored.evidence == {"a": AnswerState.PRESENT}
    assert restored.questions_answered == 1
    # anything more than "don't know" is still refused
    saved["steps"][0][0]["state"] = "absent"  # type: ignore[index]
    with pytest.raises(EvidenceError, match="does not apply to a male"):
        Assessment.from_dict(small_kb, saved)


def test_bad_saved_data_is_refused_clearly(small_kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        Assessment.from_dict(small_kb, {"format": 99})
    saved = {"format": 1, "age": 40, "sex": "male"}
    for broken, message in [
        (saved, "incomplete: no steps"),
        ({**saved, "sex": "x", "steps": []}, "female or male"),
        ({**saved, "age": "40", "steps": []}, "whole number"),
        ({**saved, "steps": {}}, "no list of answers"),
        ({**saved, "steps": [[]]}, "answer 1 is not a list"),
        ({**saved, "steps": [["a"]]}, "answer 1 is not a list"),
        ({**saved, "steps": [[{"id": "a", "state": "maybe"}]]}, "answer 1 is not a list"),
    ]:
        with pytest.raises(ValueError, match=message):
            Assessment.from_dict(small_kb, broken)
    with pytest.raises(EvidenceError, match="unknown finding id 'zzz'"):
        Assessment.from_dict(
            small_kb,
            {"format": 1, "age": 40, "sex": "male", "steps": [[{"id": "zzz", "state": "present"}]]},
        )


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        ([Evidence("nope", AnswerState.PRESENT)], "unknown finding id 'nope'"),
        ([Evidence("a", AnswerState.PRESENT), Evidence("a", AnswerState.ABSENT)], "more than once"),
        (
            [
                Evidence("onset_sudden", AnswerState.PRESENT),
                Evidence("onset_gradual", AnswerState.PRESENT),
            ],
            "only one can be true",
        ),
        (
            [
                Evidence("onset_sudden", AnswerState.ABSENT),
                Evidence("onset_gradual", AnswerState.ABSENT),
            ],
            "every option of question 'onset' is absent",
        ),
        ([Evidence("pregnant", AnswerState.PRESENT)], "does not apply to a male"),
        ([Evidence("pregnant", AnswerState.ABSENT)], "does not apply to a male"),
        # not even "don't know": it would count as an unanswered question
        ([Evidence("pregnant", AnswerState.UNKNOWN)], "does not apply to a male"),
    ],
)
def test_impossible_answers_are_refused_with_the_reason(
    small_kb: KnowledgeBase, evidence, message
) -> None:
    with pytest.raises(EvidenceError, match=message):
        Assessment(small_kb, MAN_40, evidence)


def test_people_under_12_are_not_assessed() -> None:
    with pytest.raises(ValueError, match="should see a doctor"):
        Patient(9, Sex.FEMALE)
    with pytest.raises(ValueError, match="not a plausible age"):
        Patient(140, Sex.FEMALE)
