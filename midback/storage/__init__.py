"""Persistence of saved assessments: SQLAlchemy tables, Alembic migrations, a small repository.

Knows nothing of the web or the terminal. SQLite by default, PostgreSQL at scale.
"""

from midback.storage.accounts import AccountError, Moderators
from midback.storage.community import Reply, ReplyStore
from midback.storage.forms import FormTokens
from midback.storage.repository import AssessmentStore, StoredAssessment, database_url, upgrade

__all__ = [
    "AccountError",
    "AssessmentStore",
    "FormTokens",
    "Moderators",
    "Reply",
    "ReplyStore",
    "StoredAssessment",
    "database_url",
    "upgrade",
]
