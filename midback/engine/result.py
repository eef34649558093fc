"""The result of an assessment as plain data, shared by the terminal, the web and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from midback.domain import TriageLevel
from midback.engine.explain import Contribution, answer_text, contributions, describe
from midback.engine.guidance import Guidance, guidance
from midback.engine.triage import TriageDecision, TriageReason, triage
from midback.knowledge.views import advice_view

NOTABLE = 1.25
"""An answer is listed as raising (or lowering) a condition when it changes its odds by this factor."""

if TYPE_CHECKING:
    from midback.engine.assessment import Assessment
    from midback.engine.interview import NextQuestion


@dataclass(frozen=True)
class RankedCondition:
    id: str
    name: str
    probability: float
    triage_level: str
    summary: str
    raised_by: tuple[Contribution, ...]
    lowered_by: tuple[Contribution, ...]


@dataclass(frozen=True)
class AssessmentResult:
    age: int
    sex: str
    triage: TriageDecision
    conditions: tuple[RankedCondition, ...]
    guidance: Guidance
    next_question: NextQuestion | None
    stop_reason: str | None
    answers: tuple[tuple[str, str, str], ...]
    """(finding id, state, plain text) for every answer, in the order given."""
    knowledge_base_version: str

    @property
    def should_stop(self) -> bool:
        return self.stop_reason is not None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (the CLI's --json output and the API's response)."""

        def contribution(c: Contribution) -> dict[str, Any]:
            return {
                "finding": c.finding,
                "state": c.state.value,
                "likelihood_ratio": round(c.likelihood_ratio, 4),
                "counted": c.counted,
                "text": describe(c),
            }

        next_question: dict[str, Any] | None = None
        if self.next_question is not None:
            question = self.next_question.question
            next_question = {
                "id": question.id,
                "text": question.ask,
                "kind": question.kind,
                "phase": self.next_question.phase,
                "options": [{"finding": f} for f in question.findings]
                if question.kind != "yes_no"
                else None,
            }
            if question.kind == "number":
                next_question["min"], next_question["max"] = question.min, question.max
        return {
            "disclaimer": self.guidance.disclaimer,
            "knowledge_base_version": self.knowledge_base_version,
            "age": self.age,
            "sex": self.sex,
            "triage": {
                "level": self.triage.level.value,
                "title": self.guidance.title,
                "do_now": self.guidance.do_now,
                "reasons": [reason_view(r, self.triage.level) for r in self.triage.reasons],
                "red_flags": [rule.id for rule in self.triage.red_flags],
            },
            "conditions": [
                {
                    "id": c.id,
                    "name": c.name,
                    "probability": round(c.probability, 4),
                    "triage_level": c.triage_level,
                    "summary": c.summary,
                    "raised_by": [contribution(x) for x in c.raised_by],
                    "lowered_by": [contribution(x) for x in c.lowered_by],
                }
                for c in self.conditions
            ],
            "advice": {
                "self_care": [advice_view(a) for a in self.guidance.self_care],
                "treatments": [advice_view(a) for a in self.guidance.treatments],
                "not_recommended": [advice_view(a) for a in self.guidance.not_recommended],
                "safety_net": list(self.guidance.safety_net),
            },
            "should_stop": self.should_stop,
            "stop_reason": self.stop_reason,
            "next_question": next_question,
            "answers": [{"id": f, "state": s, "text": t} for f, s, t in self.answers],
        }


def reason_view(reason: TriageReason, level: TriageLevel) -> dict[str, Any]:
    """One triage reason as plain data; `sets_level` marks those that set the final level."""
    return {
        "kind": reason.kind,
        "level": reason.level.value,
        "text": reason.text,
        "findings": list(reason.findings),
        "rule": reason.rule,
        "condition": reason.condition,
        "probability": None if reason.probability is None else round(reason.probability, 4),
        "sources": list(reason.sources),
        "sets_level": reason.level == level,
    }


def urgent_causes(decision: TriageDecision) -> set[str]:
    """The conditions behind an emergency level: what its red flags point to, or a dangerous
    condition too likely to ignore."""
    if not decision.level.is_emergency:
        return set()
    causes = {
        cid for rule in decision.red_flags if rule.level.is_emergency for cid in rule.points_to
    }
    causes |= {
        reason.condition
        for reason in decision.reasons
        if reason.kind == "condition" and reason.level.is_emergency and reason.condition
    }
    return causes


def build_result(assessment: Assessment, top: int = 5) -> AssessmentResult:

    kb, patient = assessment.kb, assessment.patient
    evidence = assessment.evidence
    posterior = assessment.posterior()
    decision = triage(kb, patient, evidence, posterior)
    ranked = []
    for condition_id, probability in posterior.ranked()[:top]:
        condition = kb.condition(condition_id)
        effects = contributions(kb, patient, evidence, condition_id)
        ranked.append(
            RankedCondition(
                id=condition_id,
                name=condition.name,
                probability=probability,
                triage_level=condition.triage_level.value,
                summary=condition.summary,
                raised_by=tuple(c for c in effects if c.counted and c.likelihood_ratio >= NOTABLE)[
                    :4
                ],
                lowered_by=tuple(
                    c for c in effects if c.counted and c.likelihood_ratio <= 1 / NOTABLE
                )[:3],
            )
        )
    next_question, stop_reason = assessment.step()
    return AssessmentResult(
        age=patient.age,
        sex=patient.sex.value,
        triage=decision,
        conditions=tuple(ranked),
        guidance=guidance(kb, decision.level, posterior, urgent_causes(decision)),
        next_question=next_question,
        stop_reason=stop_reason,
        answers=tuple((f, s.value, answer_text(kb, f, s)) for f, s in evidence.items()),
        knowledge_base_version=kb.version,
    )
