"""An Assessment: one person's answers, and everything the engine says about them.

It holds the answers (with undo), checks them, caches the posterior and the red flags that
fire, asks the interview policy (`midback.engine.interview`) what to ask next, and can be
serialised to JSON and restored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from midback.domain import AnswerState, Evidence, Patient, Sex, TriageLevel
from midback.engine.evidence import (
    EvidenceError,
    answered_questions,
    applies,
    check_consistent,
    check_evidence,
    unknown_finding_message,
)
from midback.engine.inference import Posterior, log_prior, posterior_from_log_prior
from midback.engine.interview import NextQuestion, StopReason, next_step, plan
from midback.engine.red_flags import fired_rules
from midback.engine.result import AssessmentResult, build_result
from midback.engine.triage import triage
from midback.knowledge.model import KnowledgeBase, Question, RedFlagRule

SERIAL_FORMAT = 1


class Assessment:
    """The state of one interview. Mutable: answer() and undo() change it."""

    def __init__(self, kb: KnowledgeBase, patient: Patient, evidence: Iterable[Evidence] = ()):
        self.kb = kb
        self.patient = patient
        self._evidence: dict[str, AnswerState] = check_evidence(kb, patient, evidence)
        self._steps: list[tuple[str, ...]] = [(f,) for f in self._evidence]
        self._log_prior = log_prior(kb, patient)
        self._allowed = np.array([q.applies.allows(patient) for q in kb.questions])
        self._posterior: Posterior | None = None
        self._answered: set[str] | None = None
        self._fired: list[RedFlagRule] | None = None
        self._conditional_questions = plan(kb)[1]

    # -- state ----------------------------------------------------------------------------

    @property
    def evidence(self) -> dict[str, AnswerState]:
        return dict(self._evidence)

    @property
    def questions_answered(self) -> int:
        return len(self._steps)

    def _changed(self) -> None:
        self._posterior = None
        self._answered = None
        self._fired = None

    def answered(self) -> set[str]:
        """Ids of the questions answered so far (including "don't know")."""
        if self._answered is None:
            self._answered = answered_questions(self.kb, self._evidence)
        return self._answered

    def fired(self) -> list[RedFlagRule]:
        """The red-flag rules that hold on the answers so far, most urgent first."""
        if self._fired is None:
            self._fired = fired_rules(self.kb, self.patient, self._evidence)
        return self._fired

    def add(self, finding_id: str, state: AnswerState) -> None:
        """Record one finding-level answer (as from the API or an answers file)."""
        if finding_id not in self.kb.finding_index:
            raise EvidenceError(unknown_finding_message(self.kb, finding_id))
        if finding_id in self._evidence:
            raise EvidenceError(f"finding '{finding_id}' has already been answered")
        self._commit({finding_id: state})

    def answer(self, question_id: str, value: str | float) -> None:
        """Answer a question as the interview asks it.

        yes_no: "yes", "no" or "unknown"; single_choice: an option's finding id or "unknown";
        number: a number within the question's range, or "unknown".
        """
        if question_id not in self.kb.question_index:
            raise EvidenceError(f"unknown question id '{question_id}'")
        question = self.kb.question(question_id)
        if question.id in self.answered():
            raise EvidenceError(f"question '{question_id}' has already been answered")
        if not applies(self.kb, question, self.patient, self._evidence):
            raise EvidenceError(f"question '{question_id}' does not apply to this person")
        self._commit(self._answer_evidence(question, value))

    def _answer_evidence(self, question: Question, value: str | float) -> dict[str, AnswerState]:
        if value == "unknown":
            return {f: AnswerState.UNKNOWN for f in question.findings}
        if question.kind == "yes_no":
            states = {"yes": AnswerState.PRESENT, "no": AnswerState.ABSENT}
            if value not in states:
                raise EvidenceError(
                    f"answer '{value}' to '{question.id}' must be yes, no or unknown"
                )
            return {question.id: states[str(value)]}
        if question.kind == "single_choice":
            if value not in question.findings:
                raise EvidenceError(
                    f"answer '{value}' to '{question.id}' must be one of "
                    f"{', '.join(question.findings)} or unknown"
                )
            return {str(value): AnswerState.PRESENT}
        assert question.min is not None and question.max is not None
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise EvidenceError(f"answer to '{question.id}' must be a number") from None
        if not question.min <= number <= question.max:
            raise EvidenceError(
                f"answer to '{question.id}' must be between {question.min:g} and {question.max:g}"
            )
        for finding_id in question.findings:
            low, high = self.kb.finding(finding_id).range or (question.min, question.max)
            if low <= number <= high:
                return {finding_id: AnswerState.PRESENT}
        # between two whole-number ranges (e.g. 3.5): take the nearest band
        nearest = min(
            question.findings,
            key=lambda f: min(
                abs(number - bound) for bound in (self.kb.finding(f).range or (0.0, 0.0))
            ),
        )
        return {nearest: AnswerState.PRESENT}

    def _commit(self, answers: dict[str, AnswerState]) -> None:
        for finding_id in answers:
            if finding_id not in self.kb.finding_index:
                raise EvidenceError(unknown_finding_message(self.kb, finding_id))
            if finding_id in self._evidence:
                raise EvidenceError(f"finding '{finding_id}' has already been answered")
        trial = {**self._evidence, **answers}
        check_consistent(self.kb, self.patient, trial, changed=answers)
        self._evidence = trial
        self._steps.append(tuple(answers))
        self._changed()

    def undo(self) -> bool:
        """Take back the last answer; False if there is none."""
        if not self._steps:
            return False
        for finding_id in self._steps.pop():
            del self._evidence[finding_id]
        # answers that depended on a removed one (e.g. weeks of pregnancy) go too
        while True:
            try:
                check_consistent(self.kb, self.patient, self._evidence)
                break
            except EvidenceError:  # pragma: no cover - only reachable with inconsistent steps
                self._steps.pop()
        self._changed()
        return True

    # -- reasoning -------------------------------------------------------------------------

    def posterior(self) -> Posterior:
        if self._posterior is None:
            self._posterior = posterior_from_log_prior(self.kb, self._log_prior, self._evidence)
        return self._posterior

    def level_if(self, finding_id: str, state: AnswerState) -> TriageLevel:
        """The triage level these answers would give with one more answer (a what-if for the
        interview policy; nothing is recorded)."""
        evidence = {**self._evidence, finding_id: state}
        posterior = posterior_from_log_prior(self.kb, self._log_prior, evidence)
        return triage(self.kb, self.patient, evidence, posterior).level

    def level(self) -> TriageLevel:
        """The triage level of the answers so far."""
        return triage(self.kb, self.patient, self._evidence, self.posterior()).level

    @property
    def answers(self) -> Mapping[str, AnswerState]:
        """The answers so far, read-only and not copied (for the interview policy)."""
        return MappingProxyType(self._evidence)

    def askable(self, finding_id: str) -> bool:
        """Whether the question for this finding may still be asked."""
        question = self.kb.question_for(finding_id)
        return question.id not in self.answered() and applies(
            self.kb, question, self.patient, self._evidence
        )

    def could_ask(self, finding_id: str) -> bool:
        """Whether the question for this finding is unanswered and applies now or could apply
        once the answers it depends on are given (rigors, asked only after chills, is still
        open while chills is unanswered). The red-flag checks treat such a finding as open."""
        question = self.kb.question_for(finding_id)
        if question.id in self.answered() or not question.applies.allows(self.patient):
            return False
        return all(
            self._evidence.get(required) == AnswerState.PRESENT or self.could_ask(required)
            for required in question.applies.requires
        )

    def available(self) -> npt.NDArray[np.bool_]:
        """Questions that may be asked now: they apply, are unanswered, and their cluster is not."""
        available = self._allowed.copy()
        answered = self.answered()
        clusters = {self.kb.question(q).cluster for q in answered} - {None}
        for question_id in answered:
            available[self.kb.question_index[question_id]] = False
        for question in self._conditional_questions:
            if available[question.index] and (
                question.cluster in clusters
                or not applies(self.kb, question, self.patient, self._evidence)
            ):
                available[question.index] = False
        return available

    def emergency_found(self) -> bool:
        return any(rule.level.is_emergency for rule in self.fired())

    def step(self) -> tuple[NextQuestion | None, StopReason | None]:
        """The next question and why, or None and the reason the interview stops."""
        return next_step(self)

    def next_question(self) -> NextQuestion | None:
        """The question to ask next, or None when the interview should stop."""
        return self.step()[0]

    def stop_reason(self) -> StopReason | None:
        """Why the interview would stop now, or None if it should go on."""
        return self.step()[1]

    @property
    def should_stop(self) -> bool:
        return self.stop_reason() is not None

    def result(self, top: int = 5) -> AssessmentResult:
        """Everything the engine says: triage, differential with reasons, advice."""
        return build_result(self, top=top)

    # -- serialisation ---------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": SERIAL_FORMAT,
            "knowledge_base_version": self.kb.version,
            "age": self.patient.age,
            "sex": self.patient.sex.value,
            "steps": [
                [{"id": f, "state": self._evidence[f].value} for f in step] for step in self._steps
            ],
        }

    @classmethod
    def from_dict(cls, kb: KnowledgeBase, data: dict[str, Any]) -> Assessment:
        """Restore a saved assessment; raises EvidenceError or ValueError on bad data."""
        if not isinstance(data, dict) or data.get("format") != SERIAL_FORMAT:
            raise ValueError("not a saved midback assessment (unknown format)")
        missing = [key for key in ("age", "sex", "steps") if key not in data]
        if missing:
            raise ValueError(f"saved assessment is incomplete: no {', '.join(missing)}")
        if data["sex"] not in {sex.value for sex in Sex}:
            raise ValueError("saved assessment has a sex other than female or male")
        if not isinstance(data["age"], int) or isinstance(data["age"], bool):
            raise ValueError("saved assessment has an age that is not a whole number")
        steps = data["steps"]
        if not isinstance(steps, list):
            raise ValueError("saved assessment has no list of answers")
        assessment = cls(kb, Patient(age=data["age"], sex=Sex(data["sex"])))
        states = {state.value for state in AnswerState}
        for number, step in enumerate(steps, 1):
            if (
                not isinstance(step, list)
                or not step
                or not all(
                    isinstance(item, dict)
                    and isinstance(item.get("id"), str)
                    and item.get("state") in states
                    for item in step
                )
            ):
                raise ValueError(
                    f"saved assessment answer {number} is not a list of findings with a state"
                )
            answers = {item["id"]: AnswerState(item["state"]) for item in step}
            if assessment._void_dont_know(answers):
                continue
            assessment._commit(answers)
        return assessment

    def _void_dont_know(self, answers: dict[str, AnswerState]) -> bool:
        """Whether a saved step is only "don't know" to a question that does not apply to this
        person (the API accepted one, such as pregnancy for a man, until November 2026). It says
        nothing, so it is left out rather than making the whole record unreadable."""
        if any(state != AnswerState.UNKNOWN for state in answers.values()):
            return False
        first = next(iter(answers))
        if first not in self.kb.finding_index:
            return False  # reported as an unknown finding by _commit
        return not self.kb.question_for(first).applies.allows(self.patient)


__all__ = ["Assessment", "NextQuestion", "StopReason", "TriageLevel"]
