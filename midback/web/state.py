"""The interview's answers carried between pages in a hidden form field (no server session).

The state is only the person's own answers; it is validated in full every time it comes back.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any

from midback.engine import Assessment, EvidenceError
from midback.knowledge.model import KnowledgeBase

MAX_STATE_CHARS = 20_000


class BadState(ValueError):
    pass


def encode(assessment: Assessment) -> str:
    raw = json.dumps(assessment.to_dict(), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


def decode(kb: KnowledgeBase, text: str) -> Assessment:
    if not text or len(text) > MAX_STATE_CHARS:
        raise BadState("the interview state is missing or too long")
    try:
        raw = zlib.decompress(
            base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), bufsize=MAX_STATE_CHARS * 4
        )
        data: Any = json.loads(raw)
    except (binascii.Error, zlib.error, ValueError, RecursionError):
        raise BadState("the interview state could not be read") from None
    try:
        return Assessment.from_dict(kb, data)
    except (EvidenceError, ValueError) as error:
        raise BadState(f"the interview state is not valid: {error}") from None


def unreadable_saved_assessment(kb: KnowledgeBase, saved_with: str, error: Exception) -> str:
    """Why a saved assessment cannot be shown: its answers no longer fit this knowledge base
    (a finding renamed or retired, a question that no longer applies). It is kept as it is."""
    return (
        f"This assessment was saved with knowledge base {saved_with or 'of an unknown version'} "
        f"and cannot be shown with this one ({kb.version}): {error}. It has been kept unchanged; "
        "please start a new assessment."
    )
