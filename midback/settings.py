"""Settings for the adapters (the web server and the command line), read only at the edges.

Precedence: command-line options, then environment variables (MIDBACK_*, and DATABASE_URL),
then a .env file, then the defaults.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    return f"sqlite:///{Path(user_data_dir('midback')) / 'midback.sqlite3'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MIDBACK_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default_factory=default_database_url,
        validation_alias=AliasChoices("MIDBACK_DATABASE_URL", "DATABASE_URL"),
    )
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    """Largest request body accepted, in bytes."""
