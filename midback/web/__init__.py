"""The web app and HTTP API: a thin adapter over the engine and the storage layer."""

from midback.web.app import create_app

__all__ = ["create_app"]
