"""What the population priors cost on the vignette suite: the same facts ranked with a flat prior."""

from __future__ import annotations

import pytest

from midback.knowledge import KnowledgeBase
from midback.validation import Vignette, load_vignettes, run_benchmark
from midback.validation.case_mix import flat_log_prior, ranked_conditions, ranking_figures


def vignette(age: int, sex: str, present: list[str], gold: str) -> Vignette:
    return Vignette.model_validate(
        {
            "id": "case_mix_example",
            "title": "A hand-checkable example",
            "split": "test",
            "source": {"title": "Test", "url": "https://example.org/", "kind": "textbook"},
            "age": age,
            "sex": sex,
            "story": "A story long enough to pass validation.",
            "present": present,
            "gold": {"condition": gold, "triage": "see_doctor"},
        }
    )


def test_a_flat_prior_lets_the_likelihoods_alone_decide(small_kb: KnowledgeBase) -> None:
    # Symptom A: serious 0.8, middling 0.5, benign 0.2 (background). With the population priors
    # (benign 0.6, middling 0.3, serious 0.1) middling leads: 0.15 against 0.12 and 0.08.
    case = vignette(40, "male", ["a"], gold="serious")
    assert ranked_conditions(small_kb, case, flat=False) == ["middling", "benign", "serious"]
    assert ranked_conditions(small_kb, case, flat=True) == ["serious", "middling", "benign"]


def test_a_flat_prior_keeps_impossible_conditions_impossible(kb: KnowledgeBase) -> None:
    case = vignette(30, "male", ["location_between_shoulder_blades"], gold="postural_pain")
    prior = flat_log_prior(kb, case.patient)
    assert prior[kb.condition_index["pregnancy_back_pain"]] == float("-inf")
    assert ranked_conditions(kb, case, flat=True)[-1] == "pregnancy_back_pain"
    assert sorted(set(prior.tolist()) - {float("-inf")}) == [0.0]


def test_with_population_priors_it_ranks_as_the_full_mode_benchmark(kb: KnowledgeBase) -> None:
    vignettes = load_vignettes(kb)
    report = run_benchmark(kb, vignettes, "full")
    figures = ranking_figures(kb, vignettes, flat=False)
    assert figures.vignettes == report.count
    assert figures.top1 == pytest.approx(report.figures()["top1"])
    assert figures.top3 == pytest.approx(report.figures()["top3"])


def test_ranking_figures_need_at_least_one_vignette(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="no vignettes"):
        ranking_figures(kb, [], flat=True)
