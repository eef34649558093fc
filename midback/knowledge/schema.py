"""Pydantic models of the knowledge-base files, exactly as written in YAML.

These models check the shape of each entry. Cross-references between files (a finding that
names an unknown condition, a missing source) are checked by `loader.py`.
"""

from __future__ import annotations

import itertools
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from midback.domain import AGE_BANDS, EvidenceStrength, Sex, TriageLevel

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
SourceId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
Probability = Annotated[float, Field(gt=0.0, lt=1.0)]

FREQUENCY_WORDS = (
    "almost_always",
    "usually",
    "often",
    "sometimes",
    "rarely",
    "very_rarely",
    "almost_never",
)
FrequencyWord = Literal[
    "almost_always", "usually", "often", "sometimes", "rarely", "very_rarely", "almost_never"
]


class Strict(BaseModel):
    # No NaN or infinity anywhere: YAML reads ".nan" and ".inf" as numbers, and either would
    # turn every posterior into NaN while still looking like a number to a range check.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class SourceEntry(Strict):
    id: SourceId
    title: str = Field(min_length=3)
    publisher: str | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    url: str | None = None
    kind: Literal[
        "guideline", "systematic_review", "study", "textbook", "review", "summary", "case_report"
    ]
    note: str | None = None

    @field_validator("url")
    @classmethod
    def _url_is_web_address(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://\S+$", value):
            raise ValueError("must be an http(s) address with no spaces")
        return value


class FrequencyScale(Strict):
    scale: dict[FrequencyWord, Probability]

    @model_validator(mode="after")
    def _complete_and_ordered(self) -> FrequencyScale:
        missing = [word for word in FREQUENCY_WORDS if word not in self.scale]
        if missing:
            raise ValueError(f"the scale has no value for {', '.join(missing)}")
        values = [self.scale[word] for word in FREQUENCY_WORDS]  # type: ignore[index]
        if values != sorted(values, reverse=True):
            raise ValueError("values must fall from almost_always down to almost_never")
        return self


class LikelihoodEntry(Strict):
    """P(finding | condition): a sourced number, a sourced word, or an estimate."""

    p: Probability | None = None
    freq: FrequencyWord | None = None
    source: SourceId | None = None
    estimate: bool = False
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_word_is_estimate(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"freq": value, "estimate": True}
        if isinstance(value, dict) and "freq" in value and "source" not in value:
            return {**value, "estimate": True}
        return value

    @model_validator(mode="after")
    def _one_value_with_origin(self) -> LikelihoodEntry:
        if (self.p is None) == (self.freq is None):
            raise ValueError("give exactly one of 'p' (a number) or 'freq' (a frequency word)")
        if self.source is None and not self.estimate:
            raise ValueError("a number needs a 'source', or 'estimate: true' if no study gives one")
        if self.source is not None and self.estimate:
            raise ValueError("an entry cannot have both a 'source' and 'estimate: true'")
        return self


class Applicability(Strict):
    sex: Sex | None = None
    min_age: int | None = Field(default=None, ge=0)
    max_age: int | None = Field(default=None, ge=0)
    requires: tuple[Identifier, ...] = ()

    @model_validator(mode="after")
    def _possible(self) -> Applicability:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValueError(
                f"min_age {self.min_age} is above max_age {self.max_age}: it could never apply"
            )
        return self


class FindingEntry(Strict):
    """One option of a single-choice or number question."""

    id: Identifier
    label: str = Field(min_length=3)
    option: str | None = None
    range: tuple[float, float] | None = None
    background: LikelihoodEntry
    likelihoods: dict[Identifier, LikelihoodEntry] = Field(default_factory=dict)


class QuestionEntry(Strict):
    question: Identifier
    ask: str = Field(min_length=5)
    kind: Literal["yes_no", "single_choice", "number"]
    cluster: Identifier | None = None
    applies: Applicability = Applicability()
    # yes_no questions carry their single finding inline:
    label: str | None = None
    background: LikelihoodEntry | None = None
    likelihoods: dict[Identifier, LikelihoodEntry] | None = None
    # single_choice and number questions list their findings:
    findings: tuple[FindingEntry, ...] | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None

    @model_validator(mode="after")
    def _shape_fits_kind(self) -> QuestionEntry:
        if self.kind == "yes_no":
            if self.findings is not None:
                raise ValueError("a yes_no question has no 'findings' list")
            if self.label is None or self.background is None:
                raise ValueError("a yes_no question needs 'label' and 'background'")
            return self
        if self.label is not None or self.background is not None or self.likelihoods is not None:
            raise ValueError(
                f"a {self.kind} question puts label/background/likelihoods in 'findings'"
            )
        if not self.findings or len(self.findings) < 2:
            raise ValueError(f"a {self.kind} question needs at least two findings")
        if self.kind == "single_choice":
            for finding in self.findings:
                if finding.option is None:
                    raise ValueError(f"finding '{finding.id}' needs an 'option' text")
        else:
            if self.min is None or self.max is None or self.min >= self.max:
                raise ValueError("a number question needs 'min' below 'max'")
            covered: list[tuple[float, float]] = []
            for finding in self.findings:
                if finding.range is None:
                    raise ValueError(f"finding '{finding.id}' needs a 'range'")
                covered.append(finding.range)
            covered.sort()
            if covered[0][0] != self.min or covered[-1][1] != self.max:
                raise ValueError("the ranges must cover min to max")
            for (_, end), (start, _) in itertools.pairwise(covered):
                if start <= end:
                    raise ValueError("the ranges overlap")
        return self


class AdviceRef(Strict):
    advice: Identifier


class AdviceItem(Strict):
    id: Identifier
    kind: Literal["self_care", "treatment", "referral"]
    title: str | None = None
    text: str = Field(min_length=10)
    evidence: EvidenceStrength
    sources: tuple[SourceId, ...] = Field(min_length=1)


class WarningSign(Strict):
    text: str = Field(min_length=5)
    level: TriageLevel


class SnomedCode(Strict):
    code: Annotated[str, Field(pattern=r"^\d{6,18}$")]
    source: SourceId
    term: str | None = None


ConditionGroup = Literal[
    "mechanical", "spinal", "inflammatory", "serious_spinal", "visceral", "other"
]


class ConditionEntry(Strict):
    id: Identifier
    name: str = Field(min_length=3)
    clinical_name: str = Field(min_length=3)
    icd10: Annotated[str, Field(pattern=r"^[A-Z]\d{2}(\.\d{1,2})?$")]
    snomed_ct: SnomedCode | None = None
    group: ConditionGroup
    triage_level: TriageLevel
    summary: str = Field(min_length=10)
    description: str = Field(min_length=10)
    who_gets_it: str = Field(min_length=10)
    how_it_feels: str = Field(min_length=10)
    warning_signs: tuple[WarningSign, ...] = ()
    doctor: str = Field(min_length=10)
    imaging: str = Field(min_length=10)
    helps: tuple[AdviceRef | AdviceItem, ...] = Field(min_length=1)
    does_not_help: tuple[AdviceRef | AdviceItem, ...] = ()
    sources: tuple[SourceId, ...] = Field(min_length=1)


class PriorEntry(Strict):
    base: Probability
    source: SourceId | None = None
    estimate: bool = False
    note: str | None = None
    modifier_sources: tuple[SourceId, ...] = ()
    age: dict[str, float] = Field(default_factory=dict)
    sex: dict[Sex, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _valid(self) -> PriorEntry:
        if self.source is None and not self.estimate:
            raise ValueError("a prior needs a 'source', or 'estimate: true'")
        bands = {name for name, _, _ in AGE_BANDS}
        for band, multiplier in self.age.items():
            if band not in bands:
                raise ValueError(f"unknown age band '{band}' (use {', '.join(sorted(bands))})")
            if multiplier < 0:
                raise ValueError(f"age multiplier for {band} must not be negative")
        for sex, multiplier in self.sex.items():
            if multiplier < 0:
                raise ValueError(f"sex multiplier for {sex.value} must not be negative")
        return self


class PriorsFile(Strict):
    population: str
    priors: dict[Identifier, PriorEntry]


class RuleCondition(Strict):
    """A node of a red-flag rule: exactly one of the fields is set."""

    finding: Identifier | None = None
    all: tuple[RuleCondition | Identifier, ...] | None = None
    any: tuple[RuleCondition | Identifier, ...] | None = None
    age_at_least: int | None = None
    age_below: int | None = None
    sex: Sex | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> RuleCondition:
        set_fields = [name for name in type(self).model_fields if getattr(self, name) is not None]
        if len(set_fields) != 1:
            raise ValueError(
                "each rule node needs exactly one of finding, all, any, age_at_least, age_below, sex"
            )
        return self


class RedFlagEntry(Strict):
    id: Identifier
    name: str = Field(min_length=5)
    level: TriageLevel
    when: RuleCondition | Identifier
    unless: tuple[Identifier, ...] = ()
    """Findings that, when present, explain the pattern away: the rule does not fire."""
    points_to: tuple[Identifier, ...] = ()
    says: str = Field(min_length=10)
    sources: tuple[SourceId, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _not_self_care(self) -> RedFlagEntry:
        if self.level == TriageLevel.SELF_CARE:
            raise ValueError("a red flag cannot have the level self_care")
        return self


class LevelText(Strict):
    title: str
    colour: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
    icon: str
    do_now: str = Field(min_length=10)


class EscalationStep(Strict):
    at: Probability
    level: TriageLevel


class StopRule(Strict):
    top_probability: Probability
    dangerous_level: TriageLevel
    dangerous_below: Probability
    max_questions: int = Field(ge=1, le=200)
    min_gain: float = Field(ge=0.0)
    warning_signs_min_probability: Probability


class UncertaintyFloor(Strict):
    """Too many "don't know" answers: the result cannot reassure, so the level is at least this."""

    min_questions: int = Field(ge=1)
    unknown_share: Probability
    level: TriageLevel


class KnownPain(Strict):
    """A pain a doctor has already diagnosed, felt just as usual: the level that the listed
    conditions need (a doctor's diagnosis) has been met, and "don't know" answers do not
    stop the result from reassuring. Red-flag rules still apply."""

    finding: Identifier
    conditions: tuple[Identifier, ...] = Field(min_length=1)
    sources: tuple[SourceId, ...] = Field(min_length=1)


class TriagePolicy(Strict):
    levels: dict[TriageLevel, LevelText]
    screen: tuple[Identifier, ...] = Field(min_length=1)
    before_stopping: tuple[Identifier, ...] = ()
    escalation: dict[TriageLevel, tuple[EscalationStep, ...]]
    information_weights: dict[TriageLevel, float]
    completion_level: TriageLevel
    completion_min_probability: dict[TriageLevel, Probability]
    stop: StopRule
    uncertainty: UncertaintyFloor
    known_pain: KnownPain | None = None
    safety_net: tuple[str, ...] = Field(min_length=1)
    disclaimer: str = Field(min_length=20)

    @model_validator(mode="after")
    def _every_level(self) -> TriagePolicy:
        for name, table in (
            ("levels", self.levels),
            ("escalation", self.escalation),
            ("information_weights", self.information_weights),
        ):
            missing = [level.value for level in TriageLevel if level not in table]
            if missing:
                raise ValueError(f"'{name}' has no entry for {', '.join(missing)}")
        for level, steps in self.escalation.items():
            thresholds = [step.at for step in steps]
            if thresholds != sorted(thresholds, reverse=True):
                raise ValueError(f"escalation for {level.value}: thresholds must fall")
            for step in steps:
                if step.level > level:
                    raise ValueError(
                        f"escalation for {level.value} cannot raise the level above the condition's own"
                    )
        for level, weight in self.information_weights.items():
            if weight <= 0:
                raise ValueError(f"information weight for {level.value} must be positive")
        return self


class ClaimEntry(Strict):
    """A claim of the seed article, checked against the evidence."""

    id: Identifier
    claim: str = Field(min_length=10)
    quote: str = Field(min_length=5)
    verdict: Literal["supported", "partly", "unsupported", "wrong"]
    reason: str = Field(min_length=10)
    sources: tuple[SourceId, ...] = Field(min_length=1)
    conditions: tuple[Identifier, ...] = ()
