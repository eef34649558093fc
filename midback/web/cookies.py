"""Cookies: a random per-browser id (binds public form tokens) and the moderator session.

Both are HttpOnly and SameSite=Lax, and Secure whenever the page was served over HTTPS
(directly, or by a proxy on the same machine that sends X-Forwarded-Proto, which uvicorn
trusts from 127.0.0.1). Over plain HTTP they cannot be Secure: a browser would drop them, and
the reply forms and moderator login would fail on any host but localhost.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from fastapi import Request, Response

BROWSER_COOKIE = "midback_browser"
SESSION_COOKIE = "midback_session"


def browser_id(request: Request) -> str | None:
    value = request.cookies.get(BROWSER_COOKIE)
    return value if value and 20 <= len(value) <= 64 else None


def with_form_token(
    request: Request, purpose: str, render_page: Callable[[str], Response]
) -> Response:
    """Render a page whose form carries a token bound to this browser (given an id if new)."""
    binding = browser_id(request)
    new = binding is None
    if binding is None:
        binding = secrets.token_urlsafe(24)
    response = render_page(request.app.state.form_tokens.issue(purpose, binding))
    if new:
        set_cookie(request, response, BROWSER_COOKIE, binding, max_age=60 * 60 * 24 * 30)
    return response


def set_cookie(
    request: Request, response: Response, name: str, value: str, *, max_age: int | None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",
        path="/",
    )
