"""Story-only review: the packet shows a reviewer only the story, answers are checked against
the key with clear errors, and the figures compare a reviewer's levels with the gold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from midback.domain import TriageLevel
from midback.knowledge import KnowledgeBase
from midback.validation import Vignette, load_vignettes
from midback.validation.review import (
    REVIEW_DIR,
    PacketKey,
    ReviewError,
    Triager,
    load_key,
    load_review,
    make_key,
    median_triager,
    render_packet,
    review_triager,
    triage_figures,
)


@pytest.fixture(scope="module")
def vignettes(kb: KnowledgeBase) -> list[Vignette]:
    return load_vignettes(kb)


@pytest.fixture(scope="module")
def key(vignettes: list[Vignette]) -> PacketKey:
    chosen = [v for v in vignettes if v.split == "test"][:12]
    return make_key("spec", "2026-11-24", "twelve test vignettes for the spec", chosen, seed=7)


def answers(key: PacketKey, level: str = "see_doctor") -> list[dict]:
    return [
        {"story": code, "level": level, "causes": ["muscle_strain"], "reason": "r"}
        for code in key.stories
    ]


def write_review(tmp_path: Path, key: PacketKey, **changes: object) -> Path:
    data = {
        "packet": key.packet,
        "reviewer": {"id": "r1", "kind": "clinician", "description": "A GP of twenty years"},
        "answers": answers(key),
        **changes,
    }
    path = tmp_path / "r1.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_the_packet_shows_each_story_once_with_nothing_that_gives_the_answer_away(
    kb: KnowledgeBase, vignettes: list[Vignette], key: PacketKey
) -> None:
    by_id = {v.id: v for v in vignettes}
    text = render_packet(kb, key, by_id, order_seed=1)
    assert sorted(re.findall(r"^### (S\d+):", text, flags=re.M)) == sorted(key.stories)
    for vid in key.stories.values():
        vignette = by_id[vid]
        assert " ".join(vignette.story.split()) in text
        assert vid not in text
        assert vignette.source.url not in text
        assert vignette.title not in text
    assert "gold" not in text.lower()
    assert not re.search(r"\b(tune|holdout)\b", text)


def test_each_reviewer_gets_the_stories_in_an_order_of_their_own(
    kb: KnowledgeBase, vignettes: list[Vignette], key: PacketKey
) -> None:
    by_id = {v.id: v for v in vignettes}
    first, second = (
        re.findall(r"^### (S\d+):", render_packet(kb, key, by_id, order_seed=s), flags=re.M)
        for s in (1, 2)
    )
    assert first != second and sorted(first) == sorted(second)


def test_codes_are_shuffled_but_reproducible(vignettes: list[Vignette]) -> None:
    chosen = vignettes[:20]
    one = make_key("p", "2026-11-24", "the first twenty vignettes", chosen, seed=3)
    assert one == make_key("p", "2026-11-24", "the first twenty vignettes", chosen, seed=3)
    assert list(one.stories.values()) != [v.id for v in chosen]


def test_a_complete_review_loads(kb: KnowledgeBase, key: PacketKey, tmp_path: Path) -> None:
    review = load_review(kb, write_review(tmp_path, key), key)
    assert len(review.answers) == len(key.stories)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"packet": "other"}, "r1.yaml, field 'packet': 'other' but the key is for 'spec'"),
        ({"answers": "none"}, "r1.yaml, field 'answers': Input should be a valid tuple"),
        ({"reviewer": {"id": "r1", "kind": "nurse", "description": "A nurse"}}, "reviewer.kind"),
    ],
)
def test_a_malformed_review_is_refused_with_the_field_named(
    kb: KnowledgeBase, key: PacketKey, tmp_path: Path, change: dict, message: str
) -> None:
    with pytest.raises(ReviewError, match=re.escape(message)):
        load_review(kb, write_review(tmp_path, key, **change), key)


def test_an_answer_with_an_unknown_level_names_its_story(
    kb: KnowledgeBase, key: PacketKey, tmp_path: Path
) -> None:
    given = answers(key)
    given[2]["level"] = "urgent"
    code = given[2]["story"]
    with pytest.raises(ReviewError, match=rf"r1.yaml, story '{code}', field 'answers.2.level'"):
        load_review(kb, write_review(tmp_path, key, answers=given), key)


def test_an_unknown_cause_a_stray_code_a_repeat_or_a_gap_is_refused(
    kb: KnowledgeBase, key: PacketKey, tmp_path: Path
) -> None:
    codes = list(key.stories)
    cases = []
    given = answers(key)
    given[0]["causes"] = ["back_ache"]
    cases.append((given, f"story '{codes[0]}', field 'causes': unknown condition 'back_ache'"))
    given = answers(key)
    given[0]["story"] = "S999"
    cases.append((given, "story 'S999', field 'story': not a story of packet spec"))
    given = answers(key)
    given[1]["story"] = given[0]["story"]
    cases.append((given, f"story '{codes[0]}', field 'story': answered twice"))
    cases.append((answers(key)[1:], f"no answer for 1 stories ({codes[0]})"))
    for given, message in cases:
        with pytest.raises(ReviewError, match=re.escape(message)):
            load_review(kb, write_review(tmp_path, key, answers=given), key)


def test_a_key_naming_a_vignette_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "key.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "packet": "p",
                "created": "2026-11-24",
                "selection": "one made-up story",
                "stories": {"S001": "nope"},
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        ReviewError, match=r"key\.yaml, story 'S001', field 'stories': unknown vignette 'nope'"
    ):
        load_key(path, {"real"})


def test_the_figures_compare_levels_and_causes_with_the_gold(
    vignettes: list[Vignette],
) -> None:
    emergency = next(v for v in vignettes if v.gold.triage == TriageLevel.CALL_AMBULANCE)
    self_care = next(v for v in vignettes if v.gold.triage == TriageLevel.SELF_CARE)
    routine = next(v for v in vignettes if v.gold.triage == TriageLevel.SEE_DOCTOR)
    chosen = [emergency, self_care, routine]
    triager = Triager(
        "spec",
        levels={
            emergency.id: TriageLevel.SEE_DOCTOR_24H,  # an emergency missed: unsafe
            self_care.id: TriageLevel.SEE_DOCTOR_24H,  # two levels too high: safe, over-triaged
            routine.id: TriageLevel.SEE_DOCTOR,  # exact
        },
        causes={
            emergency.id: (emergency.gold.condition,),
            self_care.id: ("fibromyalgia", self_care.gold.condition),
            routine.id: ("fibromyalgia",)
            if routine.gold.condition != "fibromyalgia"
            else ("postural_pain",),
        },
    )
    figures = triage_figures(triager, chosen)
    assert (figures.stories, figures.exact, figures.safe) == (3, 1, 2)
    assert (figures.emergencies, figures.emergencies_called) == (1, 0)
    assert (figures.non_emergencies, figures.non_emergencies_called) == (2, 0)
    assert (figures.self_care, figures.self_care_24h_or_above) == (1, 1)
    assert (figures.top1, figures.top3) == (1, 2)


def test_the_median_of_three_reviewers_is_the_middle_level() -> None:
    levels = [TriageLevel.SELF_CARE, TriageLevel.CALL_AMBULANCE, TriageLevel.SEE_DOCTOR]
    triagers = [Triager(f"r{n}", {"v": level}) for n, level in enumerate(levels)]
    assert median_triager("median", triagers).levels == {"v": TriageLevel.SEE_DOCTOR}
    two = [
        Triager("a", {"v": TriageLevel.SELF_CARE}),
        Triager("b", {"v": TriageLevel.SEE_DOCTOR_24H}),
    ]
    assert median_triager("median", two).levels == {"v": TriageLevel.SELF_CARE}


def test_every_packaged_review_answers_every_story_of_its_packet(
    kb: KnowledgeBase, vignettes: list[Vignette]
) -> None:
    keys = sorted(REVIEW_DIR.glob("*/key.yaml"))
    assert keys, "no review packet in midback/validation/reviews"
    for key_path in keys:
        key = load_key(key_path, {v.id for v in vignettes})
        for path in sorted(key_path.parent.glob("*.yaml")):
            if path.name != "key.yaml":
                review = review_triager(load_review(kb, path, key), key)
                assert set(review.levels) == set(key.stories.values())


def test_a_key_group_naming_a_vignette_outside_the_packet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "key.yaml"
    data = {
        "packet": "p",
        "created": "2026-11-24",
        "selection": "one real story",
        "stories": {"S001": "real"},
        "groups": {"missed": ["other"]},
    }
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(
        ReviewError,
        match=r"key\.yaml, group 'missed', field 'groups': 'other' is not in the packet",
    ):
        load_key(path, {"real", "other"})
