"""The JSON API (/api/v1): stateless reasoning endpoints and stored assessments."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from midback.domain import AnswerState, Evidence, Patient, Sex
from midback.engine import Assessment, EvidenceError
from midback.engine.explain import contributions, describe
from midback.engine.result import reason_view
from midback.engine.triage import triage
from midback.knowledge.views import condition_view, finding_view
from midback.web.state import unreadable_saved_assessment
from midback.web.viewmodels import next_question_view

router = APIRouter(prefix="/api/v1", tags=["api"])

MAX_EVIDENCE = 300


class EvidenceItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Annotated[str, Field(min_length=1, max_length=100, description="A finding id")]
    state: Literal["present", "absent", "unknown"]


class Case(BaseModel):
    """A person and their answers."""

    model_config = ConfigDict(extra="forbid")
    age: Annotated[int, Field(strict=True, description="Age in years (12 to 120)")]
    sex: Sex
    evidence: Annotated[list[EvidenceItem], Field(max_length=MAX_EVIDENCE)] = []


class ExplainCase(Case):
    condition_id: Annotated[str, Field(min_length=1, max_length=100)]


class ApiError(Exception):
    """A problem with the request, reported as JSON with the field it concerns."""

    def __init__(self, status_code: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.field = field


def build_assessment(request: Request, case: Case) -> Assessment:
    kb = request.app.state.kb
    evidence = [Evidence(item.id, AnswerState(item.state)) for item in case.evidence]
    try:
        patient = Patient(case.age, case.sex)
    except ValueError as error:
        raise ApiError(422, str(error), "age") from None
    try:
        return Assessment(kb, patient, evidence)
    except EvidenceError as error:
        raise ApiError(422, str(error), "evidence") from None


# The reasoning endpoints are `async`: the engine answers in about a tenth of a millisecond, so
# running it on the event loop is cheaper than a thread hand-off. Endpoints that touch the
# database stay synchronous and run in the thread pool.
@router.post("/diagnosis", summary="Ranked conditions and the next question")
async def diagnosis(request: Request, case: Case) -> JSONResponse:
    """The differential for these answers, the next question to ask and whether to stop."""
    assessment = build_assessment(request, case)
    kb = assessment.kb
    step, stop_reason = assessment.step()
    return JSONResponse(
        {
            "conditions": [
                {
                    "id": condition_id,
                    "name": kb.condition(condition_id).name,
                    "probability": round(probability, 6),
                }
                for condition_id, probability in assessment.posterior().ranked()
            ],
            "next_question": next_question_view(kb, step),
            "should_stop": stop_reason is not None,
            "stop_reason": stop_reason,
            "knowledge_base_version": kb.version,
        }
    )


@router.post("/triage", summary="Triage level with reasons and red flags")
async def triage_endpoint(request: Request, case: Case) -> dict[str, Any]:
    """How urgently to get care, the reasons that set the level and the red flags found."""
    assessment = build_assessment(request, case)
    kb = assessment.kb
    decision = triage(kb, assessment.patient, assessment.evidence, assessment.posterior())
    text = kb.policy.levels[decision.level]
    return {
        "level": decision.level.value,
        "title": text.title,
        "do_now": text.do_now,
        "reasons": [reason_view(r, decision.level) for r in decision.reasons],
        "red_flags": [
            {"id": rule.id, "name": rule.name, "level": rule.level.value}
            for rule in decision.red_flags
        ],
        "disclaimer": kb.policy.disclaimer,
        "knowledge_base_version": kb.version,
    }


@router.post("/explain", summary="How each answer moved one condition")
async def explain(request: Request, case: ExplainCase) -> dict[str, Any]:
    """Every answer's likelihood ratio for one condition, strongest first."""
    kb = request.app.state.kb
    if case.condition_id not in kb.condition_index:
        raise ApiError(422, f"unknown condition id '{case.condition_id}'", "condition_id")
    assessment = build_assessment(request, case)
    effects = contributions(kb, assessment.patient, assessment.evidence, case.condition_id)
    return {
        "condition": case.condition_id,
        "probability": round(assessment.posterior().of(case.condition_id), 6),
        "contributions": [
            {
                "finding": c.finding,
                "state": c.state.value,
                "likelihood_ratio": round(c.likelihood_ratio, 6),
                "counted": c.counted,
                "text": describe(c),
            }
            for c in effects
        ],
    }


@router.get("/conditions", summary="The conditions midback considers")
async def list_conditions(request: Request) -> list[dict[str, Any]]:
    kb = request.app.state.kb
    return [condition_view(kb, c.id, full=False) for c in kb.conditions]


@router.get("/conditions/{condition_id}", summary="One condition in full")
async def get_condition(request: Request, condition_id: str) -> dict[str, Any]:
    kb = request.app.state.kb
    if condition_id not in kb.condition_index:
        raise ApiError(404, f"unknown condition id '{condition_id}'", "condition_id")
    return condition_view(kb, condition_id, full=True)


@router.get("/findings", summary="The findings (answers) midback understands")
async def list_findings(request: Request) -> list[dict[str, Any]]:
    kb = request.app.state.kb
    return [finding_view(kb, finding.id) for finding in kb.findings]


@router.post(
    "/assessments",
    status_code=status.HTTP_201_CREATED,
    summary="Save an assessment; returns its secret token",
)
def create_assessment(request: Request, case: Case) -> dict[str, Any]:
    """Saves the answers (nothing else) and returns an unguessable token for reading or deleting."""
    assessment = build_assessment(request, case)
    token = request.app.state.store.create(assessment.to_dict())
    return {"token": token, "url": f"/a/{token}", "api_url": f"/api/v1/assessments/{token}"}


@router.get("/assessments/{token}", summary="A saved assessment with its full result")
def read_assessment(request: Request, token: str) -> dict[str, Any]:
    stored = request.app.state.store.get(token)
    if stored is None:
        raise ApiError(
            404, "no saved assessment has this token (it may have been deleted)", "token"
        )
    try:
        assessment = Assessment.from_dict(request.app.state.kb, stored.answers)
    except (EvidenceError, ValueError) as error:
        raise ApiError(
            409,
            unreadable_saved_assessment(request.app.state.kb, stored.knowledge_base_version, error),
            "token",
        ) from None
    return {
        "created_at": stored.created_at.isoformat(),
        "saved_with_knowledge_base": stored.knowledge_base_version,
        **assessment.result().to_dict(),
    }


@router.delete(
    "/assessments/{token}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a saved assessment for good",
)
def delete_assessment(request: Request, token: str) -> Response:
    if not request.app.state.store.delete(token):
        raise ApiError(
            404, "no saved assessment has this token (it may have been deleted)", "token"
        )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


__all__ = ["ApiError", "HTTPException", "router"]
