"""The Wilson interval that says how precise each benchmark share is."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from midback.validation.precision import wilson_interval


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        # Published worked values (Newcombe 1998, Table I: 0/10, 1/10 ... and Wilson's 5/10).
        (0, 10, 0.0, 0.2775),
        (1, 10, 0.0179, 0.4042),
        (5, 10, 0.2366, 0.7634),
        (10, 10, 0.7225, 1.0),
        (81, 263, 0.2553, 0.3662),
    ],
)
def test_the_interval_matches_worked_values(successes, trials, low, high) -> None:
    assert wilson_interval(successes, trials) == pytest.approx((low, high), abs=1e-4)


@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_the_interval_holds_the_observed_share_and_stays_in_0_to_1(case) -> None:
    successes, trials = case
    low, high = wilson_interval(successes, trials)
    assert 0.0 <= low <= successes / trials <= high <= 1.0


@given(st.integers(0, 50), st.integers(2, 20))
def test_more_vignettes_with_the_same_share_give_a_narrower_interval(successes, factor) -> None:
    trials = 50
    small = wilson_interval(successes, trials)
    large = wilson_interval(successes * factor, trials * factor)
    assert large[1] - large[0] < small[1] - small[0]


@pytest.mark.parametrize(("successes", "trials"), [(1, 0), (-1, 5), (6, 5)])
def test_impossible_counts_are_refused_with_a_message(successes, trials) -> None:
    with pytest.raises(ValueError, match="must be"):
        wilson_interval(successes, trials)
