"""The database schema. Changes go through an Alembic migration in migrations/versions."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text

metadata = MetaData()

assessments = Table(
    "assessments",
    metadata,
    # SHA-256 of the unguessable link token: the token itself is never stored, so a copy of the
    # database does not reveal the links.
    Column("token_hash", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("knowledge_base_version", String(64), nullable=False),
    # The answers exactly as Assessment.to_dict() gives them (JSON): no name, no contact details.
    Column("answers", Text, nullable=False),
    Column("age", Integer, nullable=False),
    Column("sex", String(8), nullable=False),
)
