"""Helpers for interview tests: start from what the person says first, then answer every
question the interview asks in a fixed way."""

from __future__ import annotations

from midback.domain import AnswerState, Evidence, Patient
from midback.engine import Assessment
from midback.knowledge import KnowledgeBase

SEVERE_TODAY = [
    Evidence("severity_severe", AnswerState.PRESENT),
    Evidence("duration_under_1_day", AnswerState.PRESENT),
]


def a_no(question) -> str:
    """'No', or for a choice question an option that explains nothing."""
    if question.kind == "yes_no":
        return "no"
    return "unknown"


SUDDEN_SEVERE = [
    Evidence("onset_sudden", AnswerState.PRESENT),
    Evidence("severity_severe", AnswerState.PRESENT),
]


def interview_saying_no(assessment: Assessment) -> list[str]:
    asked = []
    while (step := assessment.next_question()) is not None:
        asked.append(step.question.id)
        assessment.answer(step.question.id, a_no(step.question))
    return asked


def told(kb: KnowledgeBase, patient: Patient, *story: str) -> Assessment:
    """An assessment that starts from what the person says first."""
    return Assessment(kb, patient, [Evidence(f, AnswerState.PRESENT) for f in story])


def finish(
    assessment: Assessment, yes: frozenset[str] = frozenset(), otherwise: str | None = None
) -> list[tuple[str, str | None]]:
    """Answer every remaining question, "yes" to those in `yes` and otherwise `otherwise` (by
    default "no", or "don't know" for a choice); return (question, rule followed up) pairs."""
    asked = []
    while (step := assessment.next_question()) is not None:
        asked.append((step.question.id, step.because_of))
        answer = "yes" if step.question.id in yes else (otherwise or a_no(step.question))
        assessment.answer(step.question.id, answer)
    return asked


def level_and_rules(assessment: Assessment) -> tuple[str, list[str]]:
    result = assessment.result()
    return result.triage.level.value, [r.id for r in result.triage.red_flags]
