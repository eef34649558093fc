"""Docs that cannot drift: what they name must exist."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from midback.knowledge import KnowledgeBase
from midback.validation import load_vignettes

ROOT = Path(__file__).parents[1]
HAZARD_LOG = (ROOT / "docs" / "safety" / "hazard-log.md").read_text()
TEST_REFERENCES = sorted(set(re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", HAZARD_LOG)))


def test_every_hazard_names_at_least_one_test() -> None:
    sections = re.split(r"^## ", HAZARD_LOG, flags=re.M)[1:]
    assert len(sections) >= 10
    for section in sections:
        assert "`tests/" in section, section.splitlines()[0]


@pytest.mark.parametrize(("path", "name"), TEST_REFERENCES)
def test_each_test_named_in_the_hazard_log_exists(path: str, name: str) -> None:
    source = (ROOT / path).read_text()
    assert re.search(rf"^def {name}\(", source, re.M), f"{path}::{name} is missing"


def test_the_readme_commands_are_the_ones_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_command = re.findall(r"```bash\n(.+?)\n```", readme)[1]
    assert test_command in ci


def test_the_triage_doc_states_the_escalation_thresholds_in_the_data(kb: KnowledgeBase) -> None:
    text = " ".join((ROOT / "docs" / "triage.md").read_text().split())
    for level, steps in kb.policy.escalation.items():
        for threshold, _ in steps:
            assert f"{threshold:.0%}" in text, (level.value, threshold)
    stop = kb.policy.stop
    assert f"{stop.top_probability:.0%}" in text and f"{stop.max_questions} questions" in text


def test_the_readme_shows_the_same_validation_figures_as_the_validation_page() -> None:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- validation:start -->\n", 1)[1].split("\n<!-- validation:end -->")[0]
    assert block.startswith("| measure | target |")
    assert block in (ROOT / "docs" / "validation.md").read_text()


def test_the_readme_counts_the_suite_as_it_is(kb: KnowledgeBase) -> None:
    readme = (ROOT / "README.md").read_text()
    sentence = readme.split("<!-- suite:start -->\n", 1)[1].split("\n<!-- suite:end -->")[0]
    vignettes = load_vignettes(kb)
    splits = Counter(v.split for v in vignettes)
    assert sentence == (
        f"The suite has {len(vignettes)} vignettes: {splits['tune']} tune, {splits['test']} test"
        f" and {splits['holdout']} holdout."
    )
