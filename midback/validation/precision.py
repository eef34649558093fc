"""How precise a benchmark share is: the Wilson score interval for a binomial proportion.

With a hundred-odd vignettes per split, a share such as top-1 accuracy is uncertain by several
percentage points either way; the interval says by how much, so that a figure is not read as
better or worse than a published one when the difference is within chance. The Wilson interval
(Wilson 1927) stays inside [0, 1] and behaves well for small samples and shares near 0 or 1,
where the textbook normal approximation does not.
"""

from __future__ import annotations

import math

Z_95 = 1.959963984540054
"""The standard normal quantile for a two-sided 95% interval."""


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The (low, high) Wilson score interval for `successes` out of `trials`."""
    if trials <= 0:
        raise ValueError(f"trials must be positive, got {trials}")
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must be between 0 and {trials}, got {successes}")
    share = successes / trials
    z2 = z * z
    centre = (share + z2 / (2 * trials)) / (1 + z2 / trials)
    half = (z / (1 + z2 / trials)) * math.sqrt(
        share * (1 - share) / trials + z2 / (4 * trials * trials)
    )
    # At a share of 0 or 1 the bound on that side is exactly 0 or 1; rounding must not move it.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high
