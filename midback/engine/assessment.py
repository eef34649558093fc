"""An Assessment: one person's answers, and everything the engine says about them.

It runs the interview: first the emergency screen (triage.yaml `screen`), then follow-up of
any red flag that one more answer could complete, then the most informative question, until
the stop rule says the picture is settled. Before a rule with `unless` findings decides the
level, those findings are asked, so that an explanation the person would give is not missed.
It can be serialised to JSON and restored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

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
from midback.engine.questions import best_question
from midback.engine.red_flags import fired_rules, present_findings, rule_fires, rule_status
from midback.engine.result import AssessmentResult, build_result
from midback.knowledge.model import KnowledgeBase, Question, RedFlagRule

Phase = Literal["screen", "red_flag_followup", "information"]
StopReason = Literal["emergency", "settled", "no_informative_question", "question_limit"]

SERIAL_FORMAT = 1


@cache
def _plan(kb: KnowledgeBase) -> tuple[list[RedFlagRule], list[Question]]:
    """Per knowledge base, once: the rules to follow up (most urgent first) and the questions
    whose availability depends on other answers."""
    rules = sorted(
        (r for r in kb.red_flags if r.level >= kb.policy.completion_level),
        key=lambda r: -r.level.rank,
    )
    conditional = [q for q in kb.questions if q.cluster is not None or q.applies.requires]
    return rules, conditional


@dataclass(frozen=True)
class NextQuestion:
    question: Question
    phase: Phase
    gain: float | None = None
    because_of: str | None = None
    """For a red-flag follow-up: the rule it could complete."""


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
        self._follow_up_rules, self._conditional_questions = _plan(kb)

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

    def _askable(self, finding_id: str) -> bool:
        question = self.kb.question_for(finding_id)
        return question.id not in self.answered() and applies(
            self.kb, question, self.patient, self._evidence
        )

    def _available(self) -> npt.NDArray[np.bool_]:
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

    def _screen_question(self) -> Question | None:
        answered = self.answered()
        for question_id in self.kb.policy.screen:
            question = self.kb.question(question_id)
            if question_id not in answered and applies(
                self.kb, question, self.patient, self._evidence
            ):
                return question
        return None

    def _follow_up(self, at_least: TriageLevel | None = None) -> NextQuestion | None:
        """A question that could complete a red-flag rule one of whose findings is present.

        When a single "yes" would fire an emergency rule, that question is asked whatever the
        posterior says; otherwise only while the rule's conditions remain plausible. With
        `at_least`, only decisive questions for rules of that level or above are considered.
        """
        probabilities = self.posterior().probabilities
        present = present_findings(self._evidence)
        for rule in self._follow_up_rules:
            if rule.finding_set.isdisjoint(present):
                continue
            if at_least is not None and rule.level < at_least:
                continue
            if rule_status(rule, self.patient, self._evidence, self._askable) is not None:
                continue  # already fired, or can no longer fire
            askable = [f for f in rule.findings if self._askable(f)]
            decisive = [
                f
                for f in askable
                if rule_fires(rule, self.patient, {**self._evidence, f: AnswerState.PRESENT})
            ]
            if at_least is not None and not decisive:
                continue
            if not (rule.level.is_emergency and decisive):
                plausible = sum(probabilities[self.kb.condition_index[c]] for c in rule.points_to)
                if plausible < self._follow_up_threshold(rule.level):
                    continue
            chosen = (decisive or askable)[0]
            return NextQuestion(
                self.kb.question_for(chosen), "red_flag_followup", because_of=rule.id
            )
        return None

    def _warning_signs_of_top(self) -> NextQuestion | None:
        """Before the interview settles on a cause, an unasked question of a rule that points to
        it and could still fire: a clinician checks the warning signs of the working diagnosis."""
        top = self.kb.conditions[int(np.argmax(self.posterior().probabilities))].id
        for rule in self._follow_up_rules:
            if top not in rule.points_to:
                continue
            if rule_status(rule, self.patient, self._evidence, self._askable) is not None:
                continue  # already fired, or can no longer fire
            askable = [f for f in rule.findings if self._askable(f)]
            if askable:
                return NextQuestion(
                    self.kb.question_for(askable[0]), "red_flag_followup", because_of=rule.id
                )
        return None

    def _exclusion_check(self) -> NextQuestion | None:
        """An unasked `unless` finding of a fired rule that alone sets the level."""
        fired = self.fired()
        for rule in fired:
            if not rule.unless:
                continue
            others = [other.level for other in fired if other is not rule]
            if others and max(others) >= rule.level:
                continue  # the level stands whatever the explanation
            for finding_id in rule.unless:
                if self._askable(finding_id):
                    return NextQuestion(
                        self.kb.question_for(finding_id), "red_flag_followup", because_of=rule.id
                    )
        return None

    def _follow_up_threshold(self, level: TriageLevel) -> float:
        thresholds = self.kb.policy.completion_min_probability
        eligible = [t for rule_level, t in thresholds.items() if rule_level <= level]
        return min(eligible) if eligible else 1.0

    def _settled(self) -> bool:
        stop = self.kb.policy.stop
        probabilities = self.posterior().probabilities
        top = int(np.argmax(probabilities))
        if probabilities[top] < stop.top_probability:
            return False
        return all(
            probabilities[c.index] < stop.dangerous_below
            for c in self.kb.conditions
            if c.index != top and c.triage_level >= stop.dangerous_level
        )

    def step(self) -> tuple[NextQuestion | None, StopReason | None]:
        exclusion = self._exclusion_check()
        if exclusion is not None:
            return exclusion, None
        if self.emergency_found():
            # An emergency ends the interview at once, except for a question whose "yes" would
            # turn "go to the emergency department" into "call an ambulance".
            if self.fired()[0].level < TriageLevel.CALL_AMBULANCE:
                upgrade = self._follow_up(at_least=TriageLevel.CALL_AMBULANCE)
                if upgrade is not None:
                    return upgrade, None
            return None, "emergency"
        screen = self._screen_question()
        if screen is not None:
            return NextQuestion(screen, "screen"), None
        follow_up = self._follow_up()
        if follow_up is not None:
            return follow_up, None
        if self.questions_answered >= self.kb.policy.stop.max_questions:
            return None, "question_limit"
        if self._settled():
            check = self._warning_signs_of_top()
            if check is not None:
                return check, None
            return None, "settled"
        best = best_question(self.kb, self.posterior().probabilities, self._available())
        if best is None or best[1] < self.kb.policy.stop.min_gain:
            return None, "no_informative_question"
        return NextQuestion(self.kb.questions[best[0]], "information", gain=best[1]), None

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
        try:
            patient = Patient(age=data["age"], sex=Sex(data["sex"]))
            steps = data["steps"]
            assessment = cls(kb, patient)
            for step in steps:
                assessment._commit({item["id"]: AnswerState(item["state"]) for item in step})
        except (KeyError, TypeError) as error:
            raise ValueError(f"saved assessment is incomplete: {error}") from None
        return assessment


__all__ = ["Assessment", "NextQuestion", "StopReason", "TriageLevel"]
