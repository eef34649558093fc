"""The shared vocabulary of midback: value types used by the knowledge base and the engine.

Nothing here knows about files, terminals or the web. See GLOSSARY.md for the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MIN_AGE = 12
"""The youngest age midback assesses; younger children should see a doctor."""

MAX_AGE = 120


def whole_number(text: str, max_digits: int = 6) -> int | None:
    """The whole number a person typed (digits of any script, surrounding spaces allowed), or
    None when the text is not one: "²" or "4.5" are not, and neither is a run of more than
    `max_digits` digits, which no age or choice needs and which Python will not convert."""
    text = text.strip()
    if not text.isdecimal() or len(text) > max_digits:
        return None
    return int(text)


AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("12-19", 12, 19),
    ("20-39", 20, 39),
    ("40-54", 40, 54),
    ("55-69", 55, 69),
    ("70+", 70, MAX_AGE),
)
"""Age bands used by the priors: (name, first age, last age), inclusive."""


class TriageLevel(StrEnum):
    """How urgently care is needed, from least to most urgent."""

    SELF_CARE = "self_care"
    SEE_DOCTOR = "see_doctor"
    SEE_DOCTOR_24H = "see_doctor_24h"
    EMERGENCY_DEPARTMENT = "emergency_department"
    CALL_AMBULANCE = "call_ambulance"

    @property
    def rank(self) -> int:
        """0 for self-care up to 4 for an ambulance."""
        return _LEVEL_RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, TriageLevel):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, TriageLevel):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, TriageLevel):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, TriageLevel):
            return NotImplemented
        return self.rank >= other.rank

    @property
    def is_emergency(self) -> bool:
        return self >= TriageLevel.EMERGENCY_DEPARTMENT


_LEVEL_RANK = {level: rank for rank, level in enumerate(TriageLevel)}


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class AnswerState(StrEnum):
    """What a person said about one finding."""

    PRESENT = "present"
    ABSENT = "absent"
    UNKNOWN = "unknown"


class EvidenceStrength(StrEnum):
    """How strong the evidence is behind a piece of advice."""

    GUIDELINE_RECOMMENDS = "guideline_recommends"
    WEAK = "weak"
    INSUFFICIENT = "insufficient"
    RECOMMENDED_AGAINST = "recommended_against"


@dataclass(frozen=True)
class Patient:
    """Who is being assessed: the facts that set the priors and decide which questions apply."""

    age: int
    sex: Sex

    def __post_init__(self) -> None:
        if isinstance(self.age, bool) or not isinstance(self.age, int):
            raise ValueError(f"age must be a whole number of years, not {self.age!r}")
        if self.age < MIN_AGE:
            raise ValueError(
                f"midback assesses people aged {MIN_AGE} and over; a child under {MIN_AGE} "
                "with back pain should see a doctor"
            )
        if self.age > MAX_AGE:
            raise ValueError(f"age {self.age} is not a plausible age (the maximum is {MAX_AGE})")
        if not isinstance(self.sex, Sex):
            raise ValueError(f"sex must be 'female' or 'male', not {self.sex!r}")

    @property
    def age_band(self) -> int:
        """Index into AGE_BANDS."""
        for index, (_, first, last) in enumerate(AGE_BANDS):
            if first <= self.age <= last:
                return index
        raise AssertionError("unreachable: age is validated")  # pragma: no cover


@dataclass(frozen=True)
class Evidence:
    """One answer about one finding."""

    finding: str
    state: AnswerState
