"""Saved assessments on a real SQLite file and on the real PostgreSQL server."""

from __future__ import annotations

import threading

from sqlalchemy import inspect, select

from midback.storage import AssessmentStore, upgrade
from midback.storage.tables import assessments

ANSWERS = {
    "format": 1,
    "age": 61,
    "sex": "male",
    "knowledge_base_version": "kb-test",
    "steps": [[{"id": "onset_sudden", "state": "present"}]],
}


def test_save_read_delete(store: AssessmentStore) -> None:
    token = store.create(ANSWERS)
    saved = store.get(token)
    assert saved is not None
    assert saved.answers == ANSWERS
    assert saved.knowledge_base_version == "kb-test"
    assert saved.created_at.tzinfo is not None
    assert store.delete(token) is True
    assert store.get(token) is None
    assert store.delete(token) is False


def test_tokens_are_long_random_and_never_stored(store: AssessmentStore) -> None:
    tokens = {store.create(ANSWERS) for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(t) >= 43 for t in tokens)  # 32 random bytes, base64url: 256 bits
    with store.engine.connect() as connection:
        stored = {row.token_hash for row in connection.execute(select(assessments.c.token_hash))}
    assert not tokens & stored


def test_nonsense_tokens_find_nothing(store: AssessmentStore) -> None:
    store.create(ANSWERS)
    for token in ["", "x", "' OR 1=1 --", "a" * 500, "../../etc/passwd"]:
        assert store.get(token) is None
        assert store.delete(token) is False


def test_migrations_are_idempotent(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)
    store = AssessmentStore(database_url)
    try:
        names = set(inspect(store.engine).get_table_names())
        assert {"assessments", "alembic_version"} <= names
    finally:
        store.dispose()


def test_concurrent_saves_are_not_lost(store: AssessmentStore) -> None:
    before = store.count()
    tokens: list[str] = []
    lock = threading.Lock()

    def save_many() -> None:
        for _ in range(10):
            token = store.create(ANSWERS)
            with lock:
                tokens.append(token)

    threads = [threading.Thread(target=save_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.count() == before + 40
    assert all(store.get(token) is not None for token in tokens)
