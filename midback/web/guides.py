"""Condition guides rendered from the knowledge base, the claims check, and reader replies."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from midback.knowledge.model import KnowledgeBase
from midback.knowledge.views import condition_view
from midback.web.api import ApiError
from midback.web.cookies import browser_id, with_form_token
from midback.web.pages import error_page, render

router = APIRouter()

LIMITS = {"name": 80, "email": 254, "body": 4000}
RATE_LIMIT = (3, 10)  # at most 3 replies per address in 10 minutes
LEVEL_WORDS = {
    "call_ambulance": "call an ambulance",
    "emergency_department": "go to an emergency department",
    "see_doctor_24h": "see a doctor within 24 hours",
    "see_doctor": "book a doctor's appointment",
    "self_care": "self-care",
}
GROUP_TITLES = {
    "mechanical": "Muscles, joints and posture (the common causes)",
    "spinal": "The spine and its nerves",
    "inflammatory": "Inflammatory back pain",
    "serious_spinal": "Serious spinal causes",
    "visceral": "Causes in the chest and belly that are felt in the back",
    "other": "Other causes",
}


def guide_view(kb: KnowledgeBase, condition_id: str) -> dict[str, Any]:
    view = condition_view(kb, condition_id, full=True)
    view["claims"] = [claim_view(c) for c in kb.claims if condition_id in c.conditions]
    return view


def claim_view(claim: Any) -> dict[str, Any]:
    return {
        "id": claim.id,
        "claim": claim.claim,
        "quote": claim.quote,
        "verdict": claim.verdict,
        "reason": claim.reason,
        "sources": list(claim.sources),
        "conditions": list(claim.conditions),
    }


def index_view(kb: KnowledgeBase) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for condition in kb.conditions:
        groups.setdefault(condition.group, []).append(condition_view(kb, condition.id, full=False))
    ordered = [(GROUP_TITLES[g], groups[g]) for g in GROUP_TITLES if g in groups]
    return {"groups": ordered, "claims": [claim_view(c) for c in kb.claims]}


def reply_view(reply: Any) -> dict[str, Any]:
    return {
        "id": reply.id,
        "name": reply.name,
        "body": reply.body,
        "created_at": reply.created_at.isoformat(),
    }


def guide_page(
    request: Request,
    condition_id: str,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    kb = request.app.state.kb
    return with_form_token(
        request,
        f"reply:{condition_id}",
        lambda token: render(
            request,
            "guide.html",
            status_code=status_code,
            guide=guide_view(kb, condition_id),
            replies=request.app.state.replies.approved(condition_id),
            form=form or {},
            errors=errors or {},
            level_words=LEVEL_WORDS,
            sources=kb.sources,
            static=False,
            token=token,
        ),
    )


@router.get("/guides", response_class=HTMLResponse, include_in_schema=False)
def guides_index(request: Request) -> Response:
    kb = request.app.state.kb
    return render(
        request,
        "guides.html",
        static=False,
        level_words=LEVEL_WORDS,
        sources=kb.sources,
        **index_view(kb),
    )


@router.get("/guides/{condition_id}", response_class=HTMLResponse, include_in_schema=False)
def guide(request: Request, condition_id: str) -> Response:
    if condition_id not in request.app.state.kb.condition_index:
        return error_page(request, 404, "There is no guide with that name.")
    return guide_page(request, condition_id)


@router.post("/guides/{condition_id}/replies", response_class=HTMLResponse, include_in_schema=False)
def post_reply(
    request: Request,
    condition_id: str,
    name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
    website: Annotated[str, Form()] = "",
    token: Annotated[str, Form()] = "",
) -> Response:
    if condition_id not in request.app.state.kb.condition_index:
        return error_page(request, 404, "There is no guide with that name.")
    form = {"name": name, "email": email, "body": body}
    binding = browser_id(request)
    if binding is None or not request.app.state.form_tokens.consume(
        token, f"reply:{condition_id}", binding
    ):
        return guide_page(
            request,
            condition_id,
            form=form,
            status_code=403,
            errors={
                "form": "This form has expired or was already sent. Please check your reply "
                "and send it again."
            },
        )
    if website:  # the honeypot: people never see this field, simple bots fill it
        return render(request, "reply_sent.html", reply_id="", delete_token="", guide=condition_id)
    errors = validate_reply(form)
    if errors:
        return guide_page(request, condition_id, form=form, errors=errors, status_code=400)
    address = request.client.host if request.client else "unknown"
    replies = request.app.state.replies
    if replies.recent_from(address, RATE_LIMIT[1]) >= RATE_LIMIT[0]:
        return guide_page(
            request,
            condition_id,
            form=form,
            status_code=429,
            errors={
                "form": "You have sent several replies in the last few minutes. Please wait a "
                "little and try again; your text is still here."
            },
        )
    new = replies.add(
        guide=condition_id,
        name=form["name"].strip(),
        email=form["email"].strip(),
        body=form["body"].strip(),
        address=address,
    )
    return render(
        request,
        "reply_sent.html",
        reply_id=new.id,
        delete_token=new.delete_token,
        guide=condition_id,
    )


def validate_reply(form: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    name, email, body = (form[k].strip() for k in ("name", "email", "body"))
    if not name:
        errors["name"] = "Please enter a name (it is shown with your reply)."
    elif len(name) > LIMITS["name"]:
        errors["name"] = f"Please keep your name under {LIMITS['name']} characters."
    if not email:
        errors["email"] = "Please enter an email address (it is never published)."
    elif (
        len(email) > LIMITS["email"]
        or "@" not in email
        or " " in email
        or email.startswith("@")
        or email.endswith("@")
    ):
        errors["email"] = "Please enter a valid email address, like name@example.org."
    if not body:
        errors["body"] = "Please write your reply."
    elif len(body) > LIMITS["body"]:
        errors["body"] = (
            f"Please keep your reply under {LIMITS['body']} characters (it has {len(body)})."
        )
    return errors


@router.get("/replies/{reply_id}/delete", response_class=HTMLResponse, include_in_schema=False)
def confirm_delete(request: Request, reply_id: str, token: str = "") -> Response:
    replies = request.app.state.replies
    if not replies.token_matches(reply_id, token):
        return error_page(request, 404, "This delete link is not valid, or the reply is gone.")
    return with_form_token(
        request,
        f"delete:{reply_id}",
        lambda form_token: render(
            request,
            "reply_delete.html",
            reply_id=reply_id,
            delete_token=token,
            form_token=form_token,
        ),
    )


@router.post("/replies/{reply_id}/delete", response_class=HTMLResponse, include_in_schema=False)
def delete_reply(
    request: Request,
    reply_id: str,
    token: Annotated[str, Form()] = "",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    binding = browser_id(request)
    if binding is None or not request.app.state.form_tokens.consume(
        form_token, f"delete:{reply_id}", binding
    ):
        return error_page(request, 403, "This form has expired or was already sent.")
    if not request.app.state.replies.delete_with_token(reply_id, token):
        return error_page(request, 404, "This delete link is not valid, or the reply is gone.")
    return render(request, "reply_deleted.html")


@router.get("/api/v1/guides", tags=["guides"], summary="All guides, and the claims checked")
def api_guides(request: Request) -> dict[str, Any]:
    kb = request.app.state.kb
    view = index_view(kb)
    return {
        "guides": [c for _, conditions in view["groups"] for c in conditions],
        "claims": view["claims"],
    }


@router.get(
    "/api/v1/guides/{condition_id}",
    tags=["guides"],
    summary="One guide with its approved replies (never an email address)",
)
def api_guide(request: Request, condition_id: str) -> dict[str, Any]:
    kb = request.app.state.kb
    if condition_id not in kb.condition_index:
        raise ApiError(404, f"unknown guide '{condition_id}'", "condition_id")
    return {
        **guide_view(kb, condition_id),
        "replies": [reply_view(r) for r in request.app.state.replies.approved(condition_id)],
    }
