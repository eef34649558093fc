"""Gold levels that disagree with one another: a vignette stating no less than an emergency one,
of the same condition, with a gold level below the emergency department."""

from __future__ import annotations

from typing import Any

from midback.knowledge import KnowledgeBase
from midback.validation import load_vignettes
from midback.validation.consistency import nested_pairs, states_no_less
from midback.validation.vignettes import Vignette


def vignette(id: str, triage: str, present: list[str], **fields: Any) -> Vignette:
    return Vignette.model_validate(
        {
            "id": id,
            "title": "A hand-checkable example",
            "split": "tune",
            "source": {"title": "Test", "url": "https://example.org/", "kind": "textbook"},
            "age": 56,
            "sex": "male",
            "story": "A story long enough to pass validation.",
            "present": present,
            "gold": {"condition": "spinal_infection", "triage": triage},
            **fields,
        }
    )


EMERGENCY = vignette("told_little", "emergency_department", ["location_central_spine"])


def test_a_vignette_saying_more_but_triaged_lower_is_paired_with_what_it_adds() -> None:
    more = vignette(
        "told_more", "see_doctor_24h", ["location_central_spine", "fever"], absent=["leg_weakness"]
    )
    [pair] = nested_pairs([EMERGENCY, more])
    assert (pair.emergency.id, pair.other.id) == ("told_little", "told_more")
    assert pair.adds_present == ("fever",) and pair.adds_absent == ("leg_weakness",)


def test_no_pair_when_the_levels_agree_or_the_stories_differ() -> None:
    candidates = [
        # also an emergency: the levels agree
        vignette("also_emergency", "call_ambulance", ["location_central_spine", "fever"]),
        # says something else instead, not more
        vignette("other_story", "see_doctor", ["location_one_side"]),
        # denies what the emergency vignette says
        vignette("denies_it", "see_doctor", ["fever"], absent=["location_central_spine"]),
        # another condition, another sex
        vignette("other_condition", "see_doctor", ["location_central_spine"]).model_copy(
            update={"gold": EMERGENCY.gold.model_copy(update={"condition": "muscle_strain"})}
        ),
        vignette("other_sex", "see_doctor", ["location_central_spine"], sex="female"),
    ]
    assert nested_pairs([EMERGENCY, *candidates]) == []


def test_states_no_less_counts_denials_too() -> None:
    denies = vignette("denies", "see_doctor", ["location_central_spine"], absent=["fever"])
    assert states_no_less(denies, EMERGENCY)
    assert not states_no_less(EMERGENCY, denies)


def test_the_packaged_suite_is_checked(kb: KnowledgeBase) -> None:
    # Every pair found in the suite really is nested, same condition and sex, across the line.
    for pair in nested_pairs(load_vignettes(kb)):
        assert pair.emergency.gold.triage.is_emergency
        assert not pair.other.gold.triage.is_emergency
        assert pair.emergency.gold.condition == pair.other.gold.condition
        assert states_no_less(pair.other, pair.emergency)
