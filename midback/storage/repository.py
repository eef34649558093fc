"""Saving, reading and deleting assessments by their unguessable token."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, event, insert, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import StaticPool

from midback.storage.tables import assessments

TOKEN_BYTES = 32
"""256 bits of randomness per link (the issue asks for at least 128)."""


def database_url(url: str) -> str:
    """Normalise a user's database URL: plain postgresql:// uses the psycopg 3 driver."""
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def upgrade(url: str) -> None:
    """Apply every Alembic migration to the database at `url` (creating SQLite files as needed)."""
    from alembic import command
    from alembic.config import Config

    url = database_url(url)
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() == "sqlite" and database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("midback.storage") / "migrations")
    )
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")


@dataclass(frozen=True)
class StoredAssessment:
    created_at: datetime
    knowledge_base_version: str
    answers: dict[str, Any]


class AssessmentStore:
    """The saved assessments in one database."""

    def __init__(self, url: str, *, engine: Engine | None = None) -> None:
        url = database_url(url)
        if engine is None:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite":
                in_memory = parsed.database in (None, "", ":memory:")
                engine = create_engine(
                    url,
                    connect_args={"check_same_thread": False, "timeout": 30},
                    poolclass=StaticPool if in_memory else None,
                )
                if not in_memory:
                    event.listen(engine, "connect", _sqlite_pragmas)
            else:
                engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        self.engine = engine

    def create(self, answers: dict[str, Any]) -> str:
        """Save an assessment (its `Assessment.to_dict()`); returns the new secret token."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self.engine.begin() as connection:
            connection.execute(
                insert(assessments).values(
                    token_hash=_hash(token),
                    created_at=datetime.now(UTC),
                    knowledge_base_version=str(answers.get("knowledge_base_version", "")),
                    answers=json.dumps(answers, separators=(",", ":")),
                    age=int(answers["age"]),
                    sex=str(answers["sex"]),
                )
            )
        return token

    def get(self, token: str) -> StoredAssessment | None:
        if not _plausible(token):
            return None
        with self.engine.connect() as connection:
            row = connection.execute(
                select(
                    assessments.c.created_at,
                    assessments.c.knowledge_base_version,
                    assessments.c.answers,
                ).where(assessments.c.token_hash == _hash(token))
            ).first()
        if row is None:
            return None
        created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
        return StoredAssessment(created, row.knowledge_base_version, json.loads(row.answers))

    def delete(self, token: str) -> bool:
        """Delete for good; False if there was nothing to delete."""
        if not _plausible(token):
            return False
        with self.engine.begin() as connection:
            result = connection.execute(
                delete(assessments).where(assessments.c.token_hash == _hash(token))
            )
        return result.rowcount > 0

    def count(self) -> int:
        from sqlalchemy import func

        with self.engine.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(assessments)).scalar_one()
            )

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """Write-ahead logging lets readers go on while one worker writes; NORMAL sync is safe in WAL."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _plausible(token: str) -> bool:
    return 20 <= len(token) <= 100 and all(c.isalnum() or c in "-_" for c in token)
