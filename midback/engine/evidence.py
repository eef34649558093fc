"""Checking a person's answers against the knowledge base before reasoning with them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from midback.domain import AnswerState, Evidence, Patient
from midback.knowledge.model import KnowledgeBase, Question


class EvidenceError(ValueError):
    """Answers that cannot be used: an unknown finding, a conflict, or a question that does not apply."""


def applies(
    kb: KnowledgeBase, question: Question, patient: Patient, evidence: Mapping[str, AnswerState]
) -> bool:
    """Whether the question applies to this person, given what is known so far."""
    if not question.applies.allows(patient):
        return False
    return all(
        evidence.get(required) == AnswerState.PRESENT for required in question.applies.requires
    )


def unknown_finding_message(kb: KnowledgeBase, finding_id: str) -> str:
    close = difflib.get_close_matches(finding_id, kb.finding_index.keys(), n=3)
    hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
    return f"unknown finding id '{finding_id}'{hint}; `midback findings` lists them"


def check_evidence(
    kb: KnowledgeBase, patient: Patient, items: Iterable[Evidence]
) -> dict[str, AnswerState]:
    """The answers as an ordered mapping, or an EvidenceError naming the first problem."""
    evidence: dict[str, AnswerState] = {}
    for item in items:
        if item.finding not in kb.finding_index:
            raise EvidenceError(unknown_finding_message(kb, item.finding))
        if item.finding in evidence:
            raise EvidenceError(f"finding '{item.finding}' is given more than once")
        evidence[item.finding] = item.state
    check_consistent(kb, patient, evidence)
    return evidence


def check_consistent(
    kb: KnowledgeBase,
    patient: Patient,
    evidence: Mapping[str, AnswerState],
    changed: Iterable[str] | None = None,
) -> None:
    """Raise EvidenceError if answers contradict each other or do not apply to this person.

    With `changed`, only the questions of those findings (and questions that depend on them)
    are checked, which is enough when the rest was consistent before.
    """
    if changed is None:
        question_ids = {kb.question_of_finding[f] for f in evidence}
    else:
        question_ids = {kb.question_of_finding[f] for f in changed}
        question_ids |= {
            q.id
            for q in kb.questions
            if set(q.applies.requires) & set(changed) and any(f in evidence for f in q.findings)
        }
    for question_id in sorted(question_ids, key=kb.question_index.__getitem__):
        _check_question(kb, patient, evidence, kb.question(question_id))


def _check_question(
    kb: KnowledgeBase, patient: Patient, evidence: Mapping[str, AnswerState], question: Question
) -> None:
    states = {f: evidence[f] for f in question.findings if f in evidence}
    if not states:
        return
    # Even "don't know" is refused for a question that does not apply: the interview never asks
    # it, and it would count as an unanswered question towards the uncertainty floor.
    finding_id = next(iter(states))
    if not question.applies.allows(patient):
        raise EvidenceError(
            f"finding '{finding_id}' does not apply to a {patient.sex.value} aged {patient.age}"
        )
    known = {f: s for f, s in states.items() if s != AnswerState.UNKNOWN}
    present = [f for f, s in known.items() if s == AnswerState.PRESENT]
    if present:  # "no" to a follow-up is true without its lead ("no chest pain now")
        for required in question.applies.requires:
            if evidence.get(required) != AnswerState.PRESENT:
                raise EvidenceError(
                    f"finding '{present[0]}' only applies when '{required}' is present"
                )
    if question.kind == "yes_no":
        return
    if len(present) > 1:
        raise EvidenceError(
            f"findings '{present[0]}' and '{present[1]}' are both present, but they are "
            f"options of one question ('{question.id}'): only one can be true"
        )
    if len(known) == len(question.findings) and not present:
        raise EvidenceError(
            f"every option of question '{question.id}' is absent, but one must be true"
        )


def answered_questions(kb: KnowledgeBase, evidence: Mapping[str, AnswerState]) -> set[str]:
    """Questions settled by the answers (any answer about one of their findings, even 'unknown')."""
    return {kb.question_of_finding[finding_id] for finding_id in evidence}
