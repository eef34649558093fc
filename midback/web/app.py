"""create_app(): the FastAPI application, built from explicit arguments."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from midback import __version__
from midback.knowledge.model import KnowledgeBase
from midback.storage import AssessmentStore, FormTokens, Moderators, ReplyStore
from midback.web import admin, api, guides, pages
from midback.web.middleware import BodySizeLimit, SecurityHeaders

WEB = Path(str(resources.files("midback.web")))

DESCRIPTION = """Likely causes, urgency and self-care for middle and upper back pain, with reasons.
midback is not a diagnosis. Errors are JSON: `{"error": {"status", "message", "field"}}`."""


def create_app(
    kb: KnowledgeBase, store: AssessmentStore, *, max_body_bytes: int = 64 * 1024
) -> Any:
    """The web app and API over one knowledge base and one assessment store."""
    app = FastAPI(
        title="midback",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.kb = kb
    app.state.store = store
    app.state.replies = ReplyStore(store.engine)
    app.state.moderators = Moderators(store.engine)
    app.state.form_tokens = FormTokens(store.engine)
    app.state.templates = Jinja2Templates(directory=str(WEB / "templates"))
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
    app.include_router(api.router)
    app.include_router(guides.router)
    app.include_router(pages.router)
    app.include_router(admin.router)

    def error_json(status: int, message: str, field: str | None) -> JSONResponse:
        return JSONResponse(
            {"error": {"status": status, "message": message, "field": field}}, status_code=status
        )

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"

    @app.exception_handler(api.ApiError)
    async def _api_error(request: Request, error: api.ApiError) -> JSONResponse:
        return error_json(error.status_code, error.message, error.field)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Any:
        first = error.errors()[0]
        field = _field(first.get("loc", ()))
        message = first.get("msg", "invalid request")
        whole_body = tuple(first.get("loc", ())) == ("body",)
        if first.get("type") == "json_invalid":
            message = "the request body is not valid JSON"
            field = "body"  # pydantic's location is the character offset, not a field
        elif whole_body and first.get("type") == "missing":
            message = "the request body is empty: send a JSON object"
            field = "body"
        elif whole_body:
            message = (
                "the request body must be a JSON object, sent with Content-Type: application/json"
            )
            field = "body"
        elif first.get("type") == "missing":
            message = "this field is required"
        if wants_json(request):
            return error_json(422, message, field)
        return pages.error_page(request, 400, f"{field}: {message}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Any:
        message = {404: "not found", 405: "method not allowed"}.get(
            error.status_code, str(error.detail)
        )
        if wants_json(request):
            return error_json(error.status_code, message, None)
        return pages.error_page(request, error.status_code, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Any:  # pragma: no cover
        if wants_json(request):
            return error_json(500, "internal error; nothing was saved", None)
        return pages.error_page(
            request, 500, "Something went wrong on our side; nothing was saved."
        )

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request) -> Any:
        return pages.api_docs(request, app.openapi())

    app.add_middleware(BodySizeLimit, limit=max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def _field(location: Any) -> str | None:
    parts = [str(p) for p in location if p not in ("body", "query", "path")]
    if not parts:
        return None
    text = parts[0]
    for part in parts[1:]:
        text += f"[{part}]" if part.isdigit() else f".{part}"
    return text
