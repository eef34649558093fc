"""The moderators' pages: log in, the moderation queue (approve, reject, delete), log out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from midback.storage import Moderators
from midback.web.cookies import SESSION_COOKIE, browser_id, set_cookie, with_form_token
from midback.web.pages import error_page, render

router = APIRouter(prefix="/admin", include_in_schema=False)

ACTIONS = {"approve": "approved", "reject": "rejected"}


def moderator(request: Request) -> str | None:
    moderators: Moderators = request.app.state.moderators
    return moderators.session_user(request.cookies.get(SESSION_COOKIE))


def login_form(request: Request, error: str = "", status_code: int = 200) -> Response:
    return with_form_token(
        request,
        "login",
        lambda token: render(
            request, "admin_login.html", status_code=status_code, token=token, error=error
        ),
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return login_form(request)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    token: Annotated[str, Form()] = "",
) -> Response:
    binding = browser_id(request)
    if binding is None or not request.app.state.form_tokens.consume(token, "login", binding):
        return login_form(request, "This form has expired. Please try again.", 403)
    moderators = request.app.state.moderators
    if not moderators.check_password(username[:64], password[:1000]):
        return login_form(request, "Wrong username or password.", 401)
    response = RedirectResponse("/admin", status_code=303)
    set_cookie(request, response, SESSION_COOKIE, moderators.start_session(username), max_age=None)
    return response


@router.get("", response_class=HTMLResponse)
def queue(request: Request) -> Response:
    user = moderator(request)
    if user is None:
        return RedirectResponse("/admin/login", status_code=303)
    session = request.cookies.get(SESSION_COOKIE, "")
    kb = request.app.state.kb
    pending = request.app.state.replies.pending()
    tokens = request.app.state.form_tokens
    items = [
        {
            "reply": reply,
            "guide": kb.condition(reply.guide).name
            if reply.guide in kb.condition_index
            else reply.guide,
            "token": tokens.issue(f"moderate:{reply.id}", session),
        }
        for reply in pending
    ]
    return render(
        request,
        "admin_queue.html",
        user=user,
        items=items,
        logout_token=tokens.issue("logout", session),
    )


@router.post("/replies/{reply_id}/{action}", response_class=HTMLResponse)
def moderate(
    request: Request, reply_id: str, action: str, token: Annotated[str, Form()] = ""
) -> Response:
    if moderator(request) is None:
        return error_page(request, 403, "Please log in as a moderator.")
    session = request.cookies.get(SESSION_COOKIE, "")
    if not request.app.state.form_tokens.consume(token, f"moderate:{reply_id}", session):
        return error_page(request, 403, "This form has expired or was already sent.")
    replies = request.app.state.replies
    if action == "delete":
        done = replies.delete(reply_id)
    elif action in ACTIONS:
        done = replies.set_status(reply_id, ACTIONS[action])
    else:
        return error_page(request, 404, "Unknown action.")
    if not done:
        return error_page(request, 404, "That reply no longer exists.")
    return RedirectResponse("/admin", status_code=303)


@router.post("/logout", response_class=HTMLResponse)
def logout(request: Request, token: Annotated[str, Form()] = "") -> Response:
    session = request.cookies.get(SESSION_COOKIE, "")
    if request.app.state.form_tokens.consume(token, "logout", session):
        request.app.state.moderators.end_session(session)
    response = RedirectResponse("/admin/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
