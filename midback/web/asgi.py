"""The ASGI entry point for servers: builds the app from Settings (environment and .env).

uvicorn --factory midback.web.asgi:app_from_settings
"""

from __future__ import annotations

from typing import Any

from midback.knowledge import load_knowledge
from midback.settings import Settings
from midback.storage import AssessmentStore


def app_from_settings() -> Any:
    from midback.web.app import create_app

    settings = Settings()
    return create_app(
        load_knowledge(),
        AssessmentStore(settings.database_url),
        max_body_bytes=settings.max_body_bytes,
    )
