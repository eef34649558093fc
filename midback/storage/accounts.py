"""Moderator accounts (Argon2-hashed passwords) and their sessions."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from midback.storage.tables import sessions, users

SESSION_HOURS = 8
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
MIN_PASSWORD = 12

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a real password, only for constant-time refusals")


class AccountError(ValueError):
    pass


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Moderators:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @staticmethod
    def check_new_account(username: str, password: str) -> None:
        """Raise AccountError if the username or the password would be refused."""
        if not USERNAME.match(username):
            raise AccountError("a username is 3 to 64 letters, digits, '.', '-' or '_'")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")

    def create(self, username: str, password: str) -> None:
        self.check_new_account(username, password)
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(users).values(
                        username=username,
                        password_hash=_hasher.hash(password),
                        created_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:
            raise AccountError(f"a moderator called '{username}' already exists") from None

    def check_password(self, username: str, password: str) -> bool:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(users.c.password_hash).where(users.c.username == username)
            ).first()
        try:
            return (
                _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
                and row is not None
            )
        except (VerificationError, InvalidHashError):
            return False

    def start_session(self, username: str) -> str:
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as connection:
            connection.execute(delete(sessions).where(sessions.c.expires_at < datetime.now(UTC)))
            connection.execute(
                insert(sessions).values(
                    token_hash=_hash(token),
                    username=username,
                    expires_at=datetime.now(UTC) + timedelta(hours=SESSION_HOURS),
                )
            )
        return token

    def session_user(self, token: str | None) -> str | None:
        if not token or len(token) > 100:
            return None
        with self.engine.connect() as connection:
            row = connection.execute(
                select(sessions.c.username, sessions.c.expires_at).where(
                    sessions.c.token_hash == _hash(token)
                )
            ).first()
        if row is None:
            return None
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        return str(row.username) if expires > datetime.now(UTC) else None

    def end_session(self, token: str | None) -> None:
        if token:
            with self.engine.begin() as connection:
                connection.execute(delete(sessions).where(sessions.c.token_hash == _hash(token)))
