"""Persistence of saved assessments: SQLAlchemy tables, Alembic migrations, a small repository.

Knows nothing of the web or the terminal. SQLite by default, PostgreSQL at scale.
"""

from midback.storage.repository import AssessmentStore, StoredAssessment, database_url, upgrade

__all__ = ["AssessmentStore", "StoredAssessment", "database_url", "upgrade"]
