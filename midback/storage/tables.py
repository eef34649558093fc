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

replies = Table(
    "replies",
    metadata,
    Column("id", String(32), primary_key=True),  # random, not a counter: ids cannot be enumerated
    Column("guide", String(64), nullable=False, index=True),
    Column("name", String(80), nullable=False),
    # Only to contact the writer: never shown on a page and never returned by the API.
    Column("email", String(254), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(16), nullable=False, index=True),  # pending | approved | rejected
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("delete_token_hash", String(64), nullable=False),
    Column("address_hash", String(64), nullable=False, index=True),  # for the rate limit
)

users = Table(
    "users",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(64), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

used_form_tokens = Table(
    "used_form_tokens",
    metadata,
    Column("nonce_hash", String(64), primary_key=True),
    Column("used_at", DateTime(timezone=True), nullable=False),
)

app_secrets = Table(
    "app_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(255), nullable=False),
)
