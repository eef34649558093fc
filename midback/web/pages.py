"""The HTML pages: home, interview, result, saved result, delete. Server-rendered, no JS needed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from midback.domain import MIN_AGE, Patient, Sex, whole_number
from midback.engine import Assessment, EvidenceError
from midback.web.state import BadState, decode, encode, unreadable_saved_assessment

router = APIRouter(include_in_schema=False)

PHASES = {
    "screen": "Checking for emergencies first",
    "red_flag_followup": "Following up an earlier answer",
    "red_flag_check": "Checking for warning signs",
    "information": "Narrowing down the cause",
}
EVIDENCE_WORDS = {
    "guideline_recommends": "recommended by guidelines",
    "weak": "weak evidence: may help",
    "insufficient": "not enough evidence",
    "recommended_against": "recommended against",
}


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    kb = request.app.state.kb
    return templates.TemplateResponse(
        request,
        template,
        {
            "kb_version": kb.version,
            "disclaimer": kb.policy.disclaimer,
            "evidence_words": EVIDENCE_WORDS,
            **context,
        },
        status_code=status_code,
    )


def error_page(request: Request, status_code: int, message: str) -> Response:
    return render(
        request, "error.html", status_code=status_code, status=status_code, message=message
    )


def api_docs(request: Request, openapi: dict[str, Any]) -> Response:
    endpoints = []
    for path, methods in openapi.get("paths", {}).items():
        for method, spec in methods.items():
            body = spec.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = body.get("schema", {}).get("$ref", "")
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": spec.get("summary", ""),
                    "description": spec.get("description", ""),
                    "body": ref.rsplit("/", 1)[-1] if ref else None,
                }
            )
    schemas = openapi.get("components", {}).get("schemas", {})
    return render(
        request,
        "docs.html",
        endpoints=endpoints,
        schemas=schemas,
        title=openapi.get("info", {}).get("title", "midback"),
    )


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    return render(request, "home.html")


@router.get("/assess", response_class=HTMLResponse)
def start(request: Request) -> Response:
    return render(request, "start.html", errors={}, values={})


def question_page(
    request: Request, assessment: Assessment, *, error: str | None = None, status_code: int = 200
) -> Response:
    step = assessment.next_question()
    if step is None:
        return result_page(request, assessment, saved=None)
    kb = assessment.kb
    answered = assessment.questions_answered
    question = step.question
    options = (
        [
            {"value": f, "text": kb.finding(f).option or kb.finding(f).label}
            for f in question.findings
        ]
        if question.kind == "single_choice"
        else []
    )
    return render(
        request,
        "question.html",
        status_code=status_code,
        question=question,
        options=options,
        phase=PHASES[step.phase],
        number=answered + 1,
        progress_max=max(20, answered + 5),
        state=encode(assessment),
        can_go_back=answered > 0,
        error=error,
    )


@router.post("/assess/start", response_class=HTMLResponse)
def start_submit(
    request: Request, age: Annotated[str, Form()] = "", sex: Annotated[str, Form()] = ""
) -> Response:
    values = {"age": age, "sex": sex}
    errors: dict[str, str] = {}
    number = whole_number(age)
    if number is None:
        errors["age"] = "Please enter your age in whole years, for example 45."
    elif number < MIN_AGE:
        return render(request, "child.html")
    elif number > 120:
        errors["age"] = "Please check your age: it must be 120 or less."
    if sex not in ("female", "male"):
        errors["sex"] = "Please choose female or male."
    if errors:
        return render(request, "start.html", status_code=400, errors=errors, values=values)
    assert number is not None
    assessment = Assessment(request.app.state.kb, Patient(number, Sex(sex)))
    return question_page(request, assessment)


@router.post("/assess/answer", response_class=HTMLResponse)
def answer(
    request: Request,
    state: Annotated[str, Form()] = "",
    question: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
    number: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "",
) -> Response:
    try:
        assessment = decode(request.app.state.kb, state)
    except BadState as error:
        return error_page(request, 400, f"{error}. Please start again.")
    if action == "back":
        assessment.undo()
        return question_page(request, assessment)
    value: str | float = answer
    asked = assessment.next_question()
    if asked is None:  # the interview was already finished in this state
        return question_page(request, assessment)
    if question != asked.question.id:  # the page never asks another: an edited form
        return question_page(
            request,
            assessment,
            error="That answer was for a question this page did not ask. Please answer this one.",
            status_code=400,
        )
    if answer == "number":
        try:
            value = float(number)
        except ValueError:
            value = "invalid"
    try:
        assessment.answer(question, value)
    except EvidenceError:
        message = "Please choose one of the answers."
        if asked.question.kind == "number":
            low, high = asked.question.min, asked.question.max
            message = f"Please enter a number from {low:g} to {high:g}."
        return question_page(request, assessment, error=message, status_code=400)
    return question_page(request, assessment)


def result_page(
    request: Request, assessment: Assessment, saved: dict[str, Any] | None, status_code: int = 200
) -> Response:
    result = assessment.result()
    kb = assessment.kb
    view = result.to_dict()
    level_text = kb.policy.levels[result.triage.level]
    return render(
        request,
        "result.html",
        status_code=status_code,
        result=view,
        assessed_at=saved["created_at"] if saved else datetime.now(UTC),
        level=result.triage.level.value,
        level_text=level_text,
        finding_labels={f.id: f.label for f in kb.findings},
        state=encode(assessment),
        saved=saved,
    )


@router.post("/assessments", response_class=HTMLResponse)
def save(request: Request, state: Annotated[str, Form()] = "") -> Response:
    try:
        assessment = decode(request.app.state.kb, state)
    except BadState as error:
        return error_page(request, 400, f"{error}. Nothing was saved.")
    token = request.app.state.store.create(assessment.to_dict())
    return RedirectResponse(f"/a/{token}?saved=1", status_code=303)


@router.get("/a/{token}", response_class=HTMLResponse)
def saved(request: Request, token: str, saved: str = "") -> Response:
    stored = request.app.state.store.get(token)
    if stored is None:
        return error_page(
            request, 404, "There is no saved assessment at this link. It may have been deleted."
        )
    try:
        assessment = Assessment.from_dict(request.app.state.kb, stored.answers)
    except (EvidenceError, ValueError) as error:
        return error_page(
            request,
            409,
            unreadable_saved_assessment(request.app.state.kb, stored.knowledge_base_version, error),
        )
    return result_page(
        request,
        assessment,
        saved={
            "token": token,
            "created_at": stored.created_at,
            "just_saved": saved == "1",
            "knowledge_base_version": stored.knowledge_base_version,
        },
    )


@router.post("/a/{token}/delete", response_class=HTMLResponse)
def delete(request: Request, token: str) -> Response:
    deleted = request.app.state.store.delete(token)
    return render(request, "deleted.html", status_code=200 if deleted else 404, deleted=deleted)
