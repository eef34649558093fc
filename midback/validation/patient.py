"""A simulated patient who answers the interview from a vignette's facts."""

from __future__ import annotations

from typing import Literal

from midback.domain import AnswerState, Evidence
from midback.engine import Assessment
from midback.knowledge.model import KnowledgeBase, Question
from midback.validation.vignettes import Vignette

Unstated = Literal["dont_know", "no"]
"""What the simulated patient says to a yes/no question its vignette does not settle: "don't
know" (the method, as in the published audits) or "no" (a sensitivity check: a person who
answers no to anything they were not told to say yes to)."""


def simulated_answer(
    kb: KnowledgeBase, vignette: Vignette, question: Question, unstated: Unstated = "dont_know"
) -> str | float:
    """The vignette's answer to one question; for anything it does not say, "unknown", or "no"
    to a yes/no question when `unstated` is "no" (an option or a number cannot be guessed)."""
    present = set(vignette.present)
    chosen = [f for f in question.findings if f in present]
    if question.kind == "yes_no":
        if chosen:
            return "yes"
        if question.id in vignette.absent or unstated == "no":
            return "no"
        return "unknown"
    if not chosen:
        return "unknown"
    if question.kind == "number":
        low, high = kb.finding(chosen[0]).range or (0.0, 0.0)
        return (low + high) / 2
    return chosen[0]


def interview(
    kb: KnowledgeBase, vignette: Vignette, unstated: Unstated = "dont_know"
) -> Assessment:
    """Run the interview as the vignette's patient: the complaint first, then the questions."""
    # The complaint is stated at once, so its order does not matter (a pregnancy finding may come
    # before "pregnant").
    complaint = [Evidence(f, AnswerState.PRESENT) for f in vignette.complaint]
    assessment = Assessment(kb, vignette.patient, complaint)
    while (step := assessment.next_question()) is not None:
        answer = simulated_answer(kb, vignette, step.question, unstated)
        assessment.answer(step.question.id, answer)
    return assessment


def all_facts(kb: KnowledgeBase, vignette: Vignette) -> Assessment:
    """Every fact of the vignette given at once (measures the knowledge base alone)."""
    return Assessment(kb, vignette.patient, vignette.evidence)
