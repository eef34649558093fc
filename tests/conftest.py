"""Shared fixtures: the real knowledge base and a tiny hand-checkable one."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from midback.knowledge import KnowledgeBase, load_knowledge

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from midback.storage import AssessmentStore

SMALL_KB = Path(__file__).parent / "fixtures" / "small_kb"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The packaged knowledge base, loaded once."""
    return load_knowledge()


@pytest.fixture(scope="session")
def small_kb() -> KnowledgeBase:
    """Three conditions and a handful of findings, small enough to check by hand."""
    return load_knowledge(SMALL_KB)


@pytest.fixture
def small_kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the small knowledge base, for tests that break it on purpose."""
    target = tmp_path / "kb"
    shutil.copytree(SMALL_KB, target)
    return target


# Databases ------------------------------------------------------------------------------------

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database on the local server, dropped at the end of the run.

    The server on 127.0.0.1:5432 is part of the test environment: if it is not reachable the
    tests fail rather than skip, so CI can never pass without exercising PostgreSQL.
    """
    import uuid

    import psycopg

    name = f"midback_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs on a real SQLite file and on the real PostgreSQL server."""
    from midback.storage import upgrade

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'midback.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    upgrade(url)
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[AssessmentStore]:
    from midback.storage import AssessmentStore
    from midback.storage.tables import metadata

    store = AssessmentStore(database_url)
    with store.engine.begin() as connection:  # the PostgreSQL database is shared by the run
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
    yield store
    store.dispose()


@pytest.fixture
def client(kb: KnowledgeBase, store: AssessmentStore) -> Iterator[TestClient]:
    from fastapi.testclient import TestClient

    from midback.web import create_app

    with TestClient(create_app(kb, store, max_body_bytes=16 * 1024)) as test_client:
        yield test_client
