"""The interview policy: which question to ask next, and when to stop.

First the emergency screen (triage.yaml `screen`); then any unasked explanation (`unless`) of a
red-flag rule that alone sets the level, unless an emergency is certain whatever is answered;
then follow-up of any red flag that one more answer
could complete; then the most informative question, until the stop rule says the picture is
settled, no question is informative enough, or the question limit is reached. Before it stops,
it asks the warning signs of the leading cause, any question whose "yes" alone would fire an
emergency rule for another cause still in play, the questions every interview asks
(`before_stopping`: how bad the pain is, a past cancer, an earlier visit that did not help),
and then any question whose "yes" alone would lower the level (the explanation of a
lower-level rule, or a pain already diagnosed).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

import numpy as np

from midback.domain import AnswerState, TriageLevel
from midback.engine.evidence import applies
from midback.engine.questions import best_question
from midback.engine.red_flags import present_findings, rule_fires, rule_status
from midback.knowledge.model import KnowledgeBase, Question, RedFlagRule

if TYPE_CHECKING:
    from midback.engine.assessment import Assessment

Phase = Literal["screen", "red_flag_followup", "red_flag_check", "information"]
StopReason = Literal["emergency", "settled", "no_informative_question", "question_limit"]


@dataclass(frozen=True)
class NextQuestion:
    question: Question
    phase: Phase
    gain: float | None = None
    because_of: str | None = None
    """For a red-flag follow-up: the rule it could complete or explain away."""


@cache
def plan(kb: KnowledgeBase) -> tuple[list[RedFlagRule], list[Question]]:
    """Per knowledge base, once: the rules to follow up (most urgent first) and the questions
    whose availability depends on other answers."""
    rules = sorted(
        (r for r in kb.red_flags if r.level >= kb.policy.completion_level),
        key=lambda r: -r.level.rank,
    )
    conditional = [q for q in kb.questions if q.cluster is not None or q.applies.requires]
    return rules, conditional


def _screen_question(a: Assessment) -> Question | None:
    answered = a.answered()
    for question_id in a.kb.policy.screen:
        question = a.kb.question(question_id)
        if question_id not in answered and applies(a.kb, question, a.patient, a.answers):
            return question
    return None


def _before_stopping(a: Assessment) -> NextQuestion | None:
    """A question every interview asks before it ends (`before_stopping` in triage.yaml), if
    it applies and has not been answered: a past cancer, say, which a clinician asks of
    everyone with back pain however unlikely a growth seems."""
    answered = a.answered()
    for question_id in a.kb.policy.before_stopping:
        question = a.kb.question(question_id)
        if question_id not in answered and applies(a.kb, question, a.patient, a.answers):
            return NextQuestion(question, "red_flag_check")
    return None


def _follow_up(a: Assessment, at_least: TriageLevel | None = None) -> NextQuestion | None:
    """A question that could complete a red-flag rule one of whose findings is present.

    When a single "yes" would fire an emergency rule, that question is asked whatever the
    posterior says; otherwise only while the rule's conditions remain plausible. With
    `at_least`, only decisive questions for rules of that level or above are considered.
    """
    probabilities = a.posterior().probabilities
    present = present_findings(a.answers)
    for rule in plan(a.kb)[0]:
        if rule.finding_set.isdisjoint(present):
            continue
        if at_least is not None and rule.level < at_least:
            continue
        if rule_status(rule, a.patient, a.answers, a.could_ask) is not None:
            continue  # already fired, or can no longer fire
        askable = [f for f in rule.findings if a.askable(f)]
        if not askable:
            continue  # open only through a question that depends on another rule's answer
        decisive = [
            f for f in askable if rule_fires(rule, a.patient, {**a.answers, f: AnswerState.PRESENT})
        ]
        if at_least is not None and not decisive:
            continue
        if not (rule.level.is_emergency and decisive):
            plausible = sum(probabilities[a.kb.condition_index[c]] for c in rule.points_to)
            if plausible < _follow_up_threshold(a.kb, rule.level):
                continue
        chosen = (decisive or askable)[0]
        return NextQuestion(a.kb.question_for(chosen), "red_flag_followup", because_of=rule.id)
    return None


def _warning_signs(a: Assessment) -> NextQuestion | None:
    """Before the interview stops, an unasked warning sign of a cause still in play.

    For the leading cause, any unasked finding of a rule that points to it and could still
    fire: a clinician checks the warning signs of the working diagnosis. For any other cause
    at or above `stop.warning_signs_min_probability`, a question whose "yes" alone would fire
    an emergency rule that points to it (black stools with stomach pain, say).
    """
    probabilities = a.posterior().probabilities
    top = a.kb.conditions[int(np.argmax(probabilities))].id
    threshold = a.kb.policy.stop.warning_signs_min_probability
    for rule in plan(a.kb)[0]:
        leading = top in rule.points_to
        if not leading:
            if not rule.level.is_emergency:
                continue
            in_play = (probabilities[a.kb.condition_index[c]] >= threshold for c in rule.points_to)
            if not any(in_play):
                continue
        if rule_status(rule, a.patient, a.answers, a.could_ask) is not None:
            continue  # already fired, or can no longer fire
        askable = [f for f in rule.findings if a.askable(f)]
        if not leading:
            askable = [
                f
                for f in askable
                if rule_fires(rule, a.patient, {**a.answers, f: AnswerState.PRESENT})
            ]
        if askable:
            return NextQuestion(
                a.kb.question_for(askable[0]), "red_flag_followup", because_of=rule.id
            )
    return None


def _exclusion_check(a: Assessment, at_least: TriageLevel | None = None) -> NextQuestion | None:
    """An unasked `unless` finding of a fired rule that alone sets the level.

    With `at_least`, only for rules of that level or above: the explanation of a rule that only
    asks for a routine appointment can wait until the interview is about to stop, so that it
    never takes the place of a question that could find an emergency.
    """
    fired = a.fired()
    for rule in fired:
        if not rule.unless or (at_least is not None and rule.level < at_least):
            continue
        others = [other.level for other in fired if other is not rule]
        if others and max(others) >= rule.level:
            continue  # the level stands whatever the explanation
        settled = [
            other.level
            for other in fired
            if other is not rule and not any(a.askable(f) for f in other.unless)
        ]
        if settled and max(settled).is_emergency:
            continue  # an emergency whatever is answered: no questions to choose the transport
        for finding_id in rule.unless:
            if a.askable(finding_id):
                return NextQuestion(
                    a.kb.question_for(finding_id), "red_flag_followup", because_of=rule.id
                )
    return None


def _reassurance_check(a: Assessment) -> NextQuestion | None:
    """Before the interview stops, an unasked answer whose "yes" alone would lower the level:
    the explanation (`unless`) of a red-flag rule that fired, or a pain a doctor has already
    diagnosed that feels just as usual (`known_pain` in triage.yaml). Asked last, so that it
    never takes the place of a question that could find an emergency."""
    candidates = [f for rule in a.fired() for f in rule.unless]
    if a.kb.policy.known_pain is not None:
        candidates.append(a.kb.policy.known_pain.finding)
    level = a.level()
    for finding_id in dict.fromkeys(candidates):
        if a.askable(finding_id) and a.level_if(finding_id, AnswerState.PRESENT) < level:
            return NextQuestion(a.kb.question_for(finding_id), "red_flag_check")
    return None


def _follow_up_threshold(kb: KnowledgeBase, level: TriageLevel) -> float:
    thresholds = kb.policy.completion_min_probability
    eligible = [t for rule_level, t in thresholds.items() if rule_level <= level]
    return min(eligible) if eligible else 1.0


def _settled(a: Assessment) -> bool:
    stop = a.kb.policy.stop
    probabilities = a.posterior().probabilities
    top = int(np.argmax(probabilities))
    if probabilities[top] < stop.top_probability:
        return False
    return all(
        probabilities[c.index] < stop.dangerous_below
        for c in a.kb.conditions
        if c.index != top and c.triage_level >= stop.dangerous_level
    )


def next_step(a: Assessment) -> tuple[NextQuestion | None, StopReason | None]:
    """The next question and why, or None and the reason the interview stops."""
    exclusion = _exclusion_check(a, at_least=a.kb.policy.completion_level)
    if exclusion is not None:
        return exclusion, None
    if a.emergency_found():
        # An emergency ends the interview, except for questions whose "yes" could turn "go to
        # the emergency department" into "call an ambulance": a follow-up of a rule already
        # half met, then the rest of the emergency screen.
        if a.fired()[0].level < TriageLevel.CALL_AMBULANCE:
            upgrade = _follow_up(a, at_least=TriageLevel.CALL_AMBULANCE)
            if upgrade is not None:
                return upgrade, None
            screen = _screen_question(a)
            if screen is not None:
                return NextQuestion(screen, "screen"), None
        return None, "emergency"
    screen = _screen_question(a)
    if screen is not None:
        return NextQuestion(screen, "screen"), None
    follow_up = _follow_up(a)
    if follow_up is not None:
        return follow_up, None
    reason: StopReason | None = None
    best: tuple[int, float] | None = None
    if a.questions_answered >= a.kb.policy.stop.max_questions:
        reason = "question_limit"
    elif _settled(a):
        reason = "settled"
    else:
        best = best_question(a.kb, a.posterior().probabilities, a.available())
        if best is None or best[1] < a.kb.policy.stop.min_gain:
            reason = "no_informative_question"
    if reason is not None:
        check = _warning_signs(a) or _before_stopping(a) or _reassurance_check(a)
        if check is not None:
            return check, None
        return None, reason
    assert best is not None
    return NextQuestion(a.kb.questions[best[0]], "information", gain=best[1]), None
