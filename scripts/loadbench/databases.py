"""The databases measured: a SQLite file and a throwaway PostgreSQL database."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from loadbench.settings import HOST, POSTGRES_ADMIN_URL
from midback.storage import AssessmentStore


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="midback_load_") as folder:
        yield f"sqlite:///{Path(folder) / 'midback.sqlite3'}"


@contextmanager
def postgres_database() -> Iterator[str]:
    import psycopg

    name = f"midback_load_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@{HOST}:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def count_rows(url: str) -> int:
    store = AssessmentStore(url)
    try:
        return store.count()
    finally:
        store.dispose()
