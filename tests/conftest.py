"""Shared fixtures: the real knowledge base and a tiny hand-checkable one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from midback.knowledge import KnowledgeBase, load_knowledge

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
