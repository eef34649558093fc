"""Whether the suite's gold levels agree with one another.

Take two vignettes of the same condition and sex, A and B, where B states everything A states
(every finding A says is there, B says is there; every finding A denies, B denies) and more.
Whatever lets a triager send A to emergency care is then in B's story too. If A's gold level is
an emergency and B's is not, one of two things holds: B's extra facts are reassuring enough to
lower the level, or one of the two gold levels is wrong. Such a pair is a question for a
clinician, not something the benchmark can settle; this module only finds the pairs, and no
gold level is changed by it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from midback.validation.vignettes import Vignette


@dataclass(frozen=True)
class NestedPair:
    """An emergency vignette, and a vignette that states no less but is not an emergency."""

    emergency: Vignette
    other: Vignette
    adds_present: tuple[str, ...]
    """Findings the other vignette has that the emergency one does not state."""
    adds_absent: tuple[str, ...]
    """Findings the other vignette denies that the emergency one does not mention."""


def states_no_less(more: Vignette, less: Vignette) -> bool:
    """Whether `more` says everything `less` says: its present and absent findings include
    those of `less`."""
    return set(less.present) <= set(more.present) and set(less.absent) <= set(more.absent)


def nested_pairs(vignettes: Sequence[Vignette]) -> list[NestedPair]:
    """Every pair of the same condition and sex in which a vignette that states no less than an
    emergency vignette has a gold level below the emergency department, in suite order."""
    pairs = []
    for emergency in vignettes:
        if not emergency.gold.triage.is_emergency:
            continue
        for other in vignettes:
            if (
                other.gold.triage.is_emergency
                or other.gold.condition != emergency.gold.condition
                or other.sex != emergency.sex
                or not states_no_less(other, emergency)
            ):
                continue
            pairs.append(
                NestedPair(
                    emergency=emergency,
                    other=other,
                    adds_present=tuple(f for f in other.present if f not in emergency.present),
                    adds_absent=tuple(f for f in other.absent if f not in emergency.absent),
                )
            )
    return pairs
