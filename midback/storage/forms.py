"""Signed, single-use form tokens (CSRF protection) and the app's signing key."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from midback.storage.tables import app_secrets, used_form_tokens

TOKEN_SECONDS = 2 * 60 * 60


class FormTokens:
    """A token is signed for one purpose and one browser (or session), expires, and works once."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.key = self._signing_key()

    def _signing_key(self) -> bytes:
        with self.engine.begin() as connection:
            row = connection.execute(
                select(app_secrets.c.value).where(app_secrets.c.name == "form_signing_key")
            ).first()
            if row is None:
                # another worker may have made it first: then keep theirs
                with contextlib.suppress(IntegrityError):
                    connection.execute(
                        insert(app_secrets).values(
                            name="form_signing_key", value=secrets.token_hex(32)
                        )
                    )
        with self.engine.connect() as connection:
            value: str = connection.execute(
                select(app_secrets.c.value).where(app_secrets.c.name == "form_signing_key")
            ).scalar_one()
        return bytes.fromhex(value)

    def _sign(self, payload: str) -> str:
        return hmac.new(self.key, payload.encode(), hashlib.sha256).hexdigest()

    def issue(self, purpose: str, binding: str) -> str:
        nonce = secrets.token_hex(16)
        expires = int(time.time()) + TOKEN_SECONDS
        payload = f"{purpose}|{nonce}|{expires}|{hashlib.sha256(binding.encode()).hexdigest()}"
        encoded = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
        return f"{encoded}.{self._sign(payload)}"

    def consume(self, token: str, purpose: str, binding: str) -> bool:
        """True once for a genuine, unexpired token of this purpose and binding; then never again."""
        if not token or len(token) > 400 or "." not in token:
            return False
        encoded, signature = token.rsplit(".", 1)
        try:
            payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
            token_purpose, nonce, expires, bound = payload.split("|")
        except (ValueError, UnicodeDecodeError):
            return False
        # Compared as bytes: compare_digest refuses str with characters outside ASCII.
        if not hmac.compare_digest(signature.encode(), self._sign(payload).encode()):
            return False
        if token_purpose != purpose or not expires.isdecimal() or int(expires) < time.time():
            return False
        if not hmac.compare_digest(
            bound.encode(), hashlib.sha256(binding.encode()).hexdigest().encode()
        ):
            return False
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    delete(used_form_tokens).where(
                        used_form_tokens.c.used_at
                        < datetime.now(UTC) - timedelta(seconds=TOKEN_SECONDS)
                    )
                )
                connection.execute(
                    insert(used_form_tokens).values(
                        nonce_hash=hashlib.sha256(nonce.encode()).hexdigest(),
                        used_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:
            return False  # replayed
        return True
