"""Vignette files: validation with clear errors, the simulated patient, and the audit arithmetic."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from midback.domain import TriageLevel
from midback.knowledge import KnowledgeBase
from midback.validation import VignetteError, load_vignettes
from midback.validation.benchmark import VignetteOutcome, run_benchmark, run_vignette
from midback.validation.patient import interview, simulated_answer

GOOD = {
    "id": "dissection_example",
    "title": "Sudden tearing pain between the shoulder blades",
    "split": "test",
    "source": {"title": "A test source", "url": "https://example.org/case", "kind": "case_report"},
    "age": 64,
    "sex": "male",
    "story": "An hour ago a ripping pain hit me between the shoulder blades out of nowhere.",
    "complaint": ["location_between_shoulder_blades"],
    "present": [
        "location_between_shoulder_blades",
        "onset_sudden",
        "character_tearing",
        "high_blood_pressure",
    ],
    "absent": ["fever", "trauma_major"],
    "gold": {
        "condition": "aortic_dissection",
        "acceptable": ["acute_coronary_syndrome"],
        "triage": "call_ambulance",
    },
}


def write(tmp_path: Path, *vignettes: dict) -> Path:
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(list(vignettes)))
    return path


def test_a_good_file_loads(kb: KnowledgeBase, tmp_path: Path) -> None:
    [vignette] = load_vignettes(kb, [write(tmp_path, GOOD)])
    assert vignette.gold.triage == TriageLevel.CALL_AMBULANCE
    assert vignette.file == "cases.yaml"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"present": ["onset_sudden", "onset_gradual"], "complaint": []}, "only one can be true"),
        ({"present": ["fevr"], "complaint": []}, "unknown finding id 'fevr'"),
        ({"gold": {"condition": "gout", "triage": "self_care"}}, "field 'gold.condition'"),
        ({"gold": {"condition": "aortic_dissection", "triage": "soon"}}, "field 'gold.triage'"),
        ({"complaint": ["fever"]}, "field 'complaint'"),
        ({"age": 5}, "field 'age'"),
        ({"split": "train"}, "field 'split'"),
        (
            {"source": {"title": "x y z", "url": "not a url", "kind": "textbook"}},
            "field 'source.url'",
        ),
        ({"colour": "red"}, "field 'colour'"),
    ],
)
def test_bad_vignettes_name_the_file_vignette_and_field(
    kb: KnowledgeBase, tmp_path: Path, change: dict, message: str
) -> None:
    with pytest.raises(VignetteError) as error:
        load_vignettes(kb, [write(tmp_path, {**GOOD, **change})])
    assert "cases.yaml, vignette 'dissection_example'" in str(error.value)
    assert message in str(error.value)


PREGNANT = {
    **GOOD,
    "age": 32,
    "sex": "female",
    "present": ["pregnant", "pregnancy_over_20_weeks", "headache_vision"],
    "absent": [],
}


def test_a_complaint_is_stated_at_once_so_its_order_does_not_matter(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    # "headache_vision" only applies once "pregnant" is known; listed first, it still works.
    story = {**PREGNANT, "complaint": ["headache_vision", "pregnant", "pregnancy_over_20_weeks"]}
    [vignette] = load_vignettes(kb, [write(tmp_path, story)])
    assert interview(kb, vignette).evidence["headache_vision"].value == "present"


def test_a_complaint_that_cannot_be_said_on_its_own_is_refused(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    with pytest.raises(VignetteError, match="field 'complaint': said first on its own"):
        load_vignettes(kb, [write(tmp_path, {**PREGNANT, "complaint": ["headache_vision"]})])


def test_duplicate_ids_are_refused(kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(VignetteError, match="duplicate id"):
        load_vignettes(kb, [write(tmp_path, GOOD, GOOD)])


def test_the_simulated_patient_says_dont_know_to_what_the_story_does_not_say(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    [vignette] = load_vignettes(kb, [write(tmp_path, GOOD)])
    assert simulated_answer(kb, vignette, kb.question("onset")) == "onset_sudden"
    assert simulated_answer(kb, vignette, kb.question("fever")) == "no"
    assert simulated_answer(kb, vignette, kb.question("sweating")) == "unknown"
    assert simulated_answer(kb, vignette, kb.question("duration")) == "unknown"
    assessment = interview(kb, vignette)
    assert next(iter(assessment.evidence)) == "location_between_shoulder_blades"
    assert assessment.should_stop


def test_the_sensitivity_patient_says_no_to_what_the_story_does_not_say(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    # Only yes/no questions: an option or a number cannot be guessed, so those stay unknown.
    [vignette] = load_vignettes(kb, [write(tmp_path, GOOD)])
    assert simulated_answer(kb, vignette, kb.question("sweating"), "no") == "no"
    assert simulated_answer(kb, vignette, kb.question("high_blood_pressure"), "no") == "yes"
    assert simulated_answer(kb, vignette, kb.question("duration"), "no") == "unknown"
    report = run_benchmark(kb, [vignette], "interview", unstated="no")
    assert report.figures()["unstated"] == "no"
    assert report.outcomes[0].dont_know < run_vignette(kb, vignette, "interview").dont_know


def test_the_classic_dissection_is_an_emergency_in_both_modes(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    [vignette] = load_vignettes(kb, [write(tmp_path, GOOD)])
    for mode in ("interview", "full"):
        outcome = run_vignette(kb, vignette, mode)
        assert outcome.triage == TriageLevel.CALL_AMBULANCE
        assert outcome.safe_triage and not outcome.emergency_missed


def outcome(kb: KnowledgeBase, gold: str, said: str, tmp_path: Path) -> VignetteOutcome:
    [vignette] = load_vignettes(
        kb, [write(tmp_path, {**GOOD, "gold": {"condition": "aortic_dissection", "triage": gold}})]
    )
    return VignetteOutcome(
        vignette, (("aortic_dissection", 0.9),), TriageLevel(said), 3, (), None, "red_flag", 0.5
    )


@pytest.mark.parametrize(
    ("gold", "said", "safe"),
    [
        ("self_care", "self_care", True),
        ("self_care", "call_ambulance", True),  # more urgent is safe (if wasteful)
        ("see_doctor_24h", "see_doctor", True),  # one level less urgent is tolerated
        ("see_doctor_24h", "self_care", False),  # two levels is not
        ("call_ambulance", "emergency_department", True),
        ("emergency_department", "see_doctor_24h", False),  # an emergency must stay an emergency
        ("call_ambulance", "see_doctor_24h", False),
    ],
)
def test_safe_triage_follows_the_audit_definition(
    kb: KnowledgeBase, tmp_path: Path, gold: str, said: str, safe: bool
) -> None:
    assert outcome(kb, gold, said, tmp_path).safe_triage is safe


SPARSE_ACHE = {
    **GOOD,
    "id": "sparse_ache",
    "title": "A mild ache and little else",
    "age": 35,
    "sex": "female",
    "story": "I've had a mild dull ache in my upper back for a few days.",
    "complaint": ["location_central_spine"],
    "present": ["location_central_spine", "severity_mild", "character_dull_ache"],
    "absent": [],
    "gold": {"condition": "postural_pain", "triage": "self_care"},
}


def test_the_report_says_what_set_each_level(kb: KnowledgeBase, tmp_path: Path) -> None:
    dissection, sparse = load_vignettes(kb, [write(tmp_path, GOOD, SPARSE_ACHE)])
    assert run_vignette(kb, dissection, "interview").set_by == "red_flag"
    # The simulated patient can only say "don't know" to almost everything it is asked, so
    # the result cannot reassure: the uncertainty floor sets the level, above the gold one.
    outcome = run_vignette(kb, sparse, "interview")
    assert (outcome.set_by, outcome.triage) == ("uncertainty", TriageLevel.SEE_DOCTOR)
    assert outcome.dont_know >= kb.policy.uncertainty.unknown_share
    # With every fact given at once nothing is "don't know", and nothing warns.
    assert run_vignette(kb, sparse, "full").set_by == "reassurance"
    figures = run_benchmark(kb, [dissection, sparse], "interview").figures()
    assert figures["over_triage_set_by"] == {
        "red_flag": 0,
        "condition": 0,
        "uncertainty": 1,
        "reassurance": 0,
    }
    assert figures["under_triage_set_by"]["red_flag"] == 0
