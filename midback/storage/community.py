"""Reader replies under the guides, and the moderation queue."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

from midback.storage.tables import replies

Status = Literal["pending", "approved", "rejected"]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Reply:
    """A reply as it may be shown: there is deliberately no email here."""

    id: str
    guide: str
    name: str
    body: str
    status: Status
    created_at: datetime


@dataclass(frozen=True)
class NewReply:
    id: str
    delete_token: str


class ReplyStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, *, guide: str, name: str, email: str, body: str, address: str) -> NewReply:
        """Queue a reply for moderation; the delete token is returned once and stored hashed."""
        reply_id = secrets.token_hex(16)
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as connection:
            connection.execute(
                insert(replies).values(
                    id=reply_id,
                    guide=guide,
                    name=name,
                    email=email,
                    body=body,
                    status="pending",
                    created_at=datetime.now(UTC),
                    delete_token_hash=_hash(token),
                    address_hash=_hash(address),
                )
            )
        return NewReply(reply_id, token)

    def recent_from(self, address: str, minutes: int) -> int:
        since = datetime.now(UTC) - timedelta(minutes=minutes)
        with self.engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count())
                    .select_from(replies)
                    .where(
                        and_(
                            replies.c.address_hash == _hash(address), replies.c.created_at >= since
                        )
                    )
                ).scalar_one()
            )

    def _rows(self, *conditions: ColumnElement[bool]) -> list[Reply]:
        query = select(
            replies.c.id,
            replies.c.guide,
            replies.c.name,
            replies.c.body,
            replies.c.status,
            replies.c.created_at,
        ).where(*conditions)
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(replies.c.created_at)).all()
        return [
            Reply(
                r.id,
                r.guide,
                r.name,
                r.body,
                r.status,
                r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=UTC),
            )
            for r in rows
        ]

    def approved(self, guide: str) -> list[Reply]:
        return self._rows(replies.c.guide == guide, replies.c.status == "approved")

    def pending(self) -> list[Reply]:
        return self._rows(replies.c.status == "pending")

    def get(self, reply_id: str) -> Reply | None:
        found = self._rows(replies.c.id == reply_id)
        return found[0] if found else None

    def set_status(self, reply_id: str, status: Status) -> bool:
        with self.engine.begin() as connection:
            result = connection.execute(
                update(replies).where(replies.c.id == reply_id).values(status=status)
            )
        return result.rowcount > 0

    def delete(self, reply_id: str) -> bool:
        with self.engine.begin() as connection:
            result = connection.execute(delete(replies).where(replies.c.id == reply_id))
        return result.rowcount > 0

    def delete_with_token(self, reply_id: str, token: str) -> bool:
        """The writer deletes their own reply with the link they were given."""
        with self.engine.begin() as connection:
            result = connection.execute(
                delete(replies).where(
                    and_(replies.c.id == reply_id, replies.c.delete_token_hash == _hash(token))
                )
            )
        return result.rowcount > 0

    def token_matches(self, reply_id: str, token: str) -> bool:
        with self.engine.connect() as connection:
            return (
                connection.execute(
                    select(replies.c.id).where(
                        and_(replies.c.id == reply_id, replies.c.delete_token_hash == _hash(token))
                    )
                ).first()
                is not None
            )
