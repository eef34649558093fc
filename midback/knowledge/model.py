"""The compiled knowledge base: frozen objects plus the arrays the engine computes with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import numpy.typing as npt

from midback.domain import AGE_BANDS, EvidenceStrength, Patient, Sex, TriageLevel

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    kind: str
    publisher: str | None = None
    year: int | None = None
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Advice:
    id: str
    kind: Literal["self_care", "treatment", "referral"]
    text: str
    evidence: EvidenceStrength
    sources: tuple[str, ...]
    title: str | None = None


@dataclass(frozen=True)
class WarningSign:
    text: str
    level: TriageLevel


@dataclass(frozen=True)
class Prior:
    base: float
    age: tuple[float, ...]
    """One multiplier per age band (domain.AGE_BANDS)."""
    sex: Mapping[Sex, float]
    source: str | None
    note: str | None = None


@dataclass(frozen=True)
class Condition:
    id: str
    index: int
    name: str
    clinical_name: str
    icd10: str
    group: str
    triage_level: TriageLevel
    summary: str
    description: str
    who_gets_it: str
    how_it_feels: str
    warning_signs: tuple[WarningSign, ...]
    doctor: str
    imaging: str
    helps: tuple[Advice, ...]
    does_not_help: tuple[Advice, ...]
    sources: tuple[str, ...]
    prior: Prior
    snomed_ct: str | None = None
    snomed_ct_source: str | None = None


Origin = Literal["source", "source_qualitative", "estimate", "background"]


@dataclass(frozen=True)
class Likelihood:
    """P(finding present | condition) as written, before any normalisation."""

    probability: float
    origin: Origin
    source: str | None = None
    word: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Finding:
    id: str
    index: int
    question: str
    label: str
    background: Likelihood
    likelihoods: Mapping[str, Likelihood]
    option: str | None = None
    range: tuple[float, float] | None = None


@dataclass(frozen=True)
class Applicability:
    sex: Sex | None = None
    min_age: int | None = None
    max_age: int | None = None
    requires: tuple[str, ...] = ()

    def allows(self, patient: Patient) -> bool:
        """Whether the question can apply to this person at all (requires aside)."""
        if self.sex is not None and patient.sex != self.sex:
            return False
        if self.min_age is not None and patient.age < self.min_age:
            return False
        return not (self.max_age is not None and patient.age > self.max_age)


@dataclass(frozen=True)
class Question:
    id: str
    index: int
    ask: str
    kind: Literal["yes_no", "single_choice", "number"]
    findings: tuple[str, ...]
    applies: Applicability = Applicability()
    cluster: str | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Claim:
    """A claim of the article midback began from, with a verdict and its evidence."""

    id: str
    claim: str
    quote: str
    verdict: Literal["supported", "partly", "unsupported", "wrong"]
    reason: str
    sources: tuple[str, ...]
    conditions: tuple[str, ...] = ()


# Red-flag rule trees -------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingIs:
    finding: str


@dataclass(frozen=True)
class AllOf:
    parts: tuple[RuleNode, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[RuleNode, ...]


@dataclass(frozen=True)
class AgeAtLeast:
    years: int


@dataclass(frozen=True)
class AgeBelow:
    years: int


@dataclass(frozen=True)
class SexIs:
    sex: Sex


RuleNode = FindingIs | AllOf | AnyOf | AgeAtLeast | AgeBelow | SexIs


@dataclass(frozen=True)
class RedFlagRule:
    id: str
    name: str
    level: TriageLevel
    when: RuleNode
    points_to: tuple[str, ...]
    says: str
    sources: tuple[str, ...]
    unless: tuple[str, ...] = ()
    """Findings that explain the pattern away: when any is present, the rule does not fire."""

    @cached_property
    def findings(self) -> tuple[str, ...]:
        """Every finding the rule mentions, in order."""
        found: list[str] = []

        def walk(node: RuleNode) -> None:
            if isinstance(node, FindingIs):
                found.append(node.finding)
            elif isinstance(node, AllOf | AnyOf):
                for part in node.parts:
                    walk(part)

        walk(self.when)
        return tuple(dict.fromkeys(found))

    @cached_property
    def finding_set(self) -> frozenset[str]:
        return frozenset(self.findings)


# Triage policy -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelText:
    title: str
    colour: str
    icon: str
    do_now: str


@dataclass(frozen=True)
class StopRule:
    top_probability: float
    dangerous_level: TriageLevel
    dangerous_below: float
    max_questions: int
    min_gain: float
    warning_signs_min_probability: float


@dataclass(frozen=True)
class UncertaintyFloor:
    min_questions: int
    unknown_share: float
    level: TriageLevel


@dataclass(frozen=True)
class KnownPain:
    finding: str
    conditions: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class TriagePolicy:
    levels: Mapping[TriageLevel, LevelText]
    screen: tuple[str, ...]
    before_stopping: tuple[str, ...]
    escalation: Mapping[TriageLevel, tuple[tuple[float, TriageLevel], ...]]
    information_weights: Mapping[TriageLevel, float]
    completion_level: TriageLevel
    completion_min_probability: Mapping[TriageLevel, float]
    stop: StopRule
    uncertainty: UncertaintyFloor
    known_pain: KnownPain | None
    safety_net: tuple[str, ...]
    disclaimer: str


# The knowledge base --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    version: str
    conditions: tuple[Condition, ...]
    findings: tuple[Finding, ...]
    questions: tuple[Question, ...]
    red_flags: tuple[RedFlagRule, ...]
    policy: TriagePolicy
    advice: Mapping[str, Advice]
    sources: Mapping[str, Source]
    frequency_scale: Mapping[str, float]
    prior_population: str
    claims: tuple[Claim, ...]

    probability: FloatArray
    """P(finding present | condition), findings x conditions, choice options normalised."""
    background: FloatArray
    """P(finding present) for a condition not linked to the finding (normalised for choices)."""

    condition_index: Mapping[str, int] = field(repr=False)
    finding_index: Mapping[str, int] = field(repr=False)
    question_index: Mapping[str, int] = field(repr=False)
    question_of_finding: Mapping[str, str] = field(repr=False)

    log_present: FloatArray = field(repr=False)
    log_absent: FloatArray = field(repr=False)
    log_evidence: FloatArray = field(repr=False)
    """Rows 2i and 2i+1: log P(finding i present | c) and log P(finding i absent | c)."""
    outcome_probability: FloatArray = field(repr=False)
    """Each question's possible answers as rows (yes/no, or one row per option) x conditions."""
    outcome_plogp: FloatArray = field(repr=False)
    outcome_question: IntArray = field(repr=False)
    question_outcome_start: IntArray = field(repr=False)
    base_prior: FloatArray = field(repr=False)
    age_multiplier: FloatArray = field(repr=False)
    sex_multiplier: Mapping[Sex, FloatArray] = field(repr=False)
    information_weight: FloatArray = field(repr=False)

    def condition(self, condition_id: str) -> Condition:
        return self.conditions[self.condition_index[condition_id]]

    def finding(self, finding_id: str) -> Finding:
        return self.findings[self.finding_index[finding_id]]

    def question(self, question_id: str) -> Question:
        return self.questions[self.question_index[question_id]]

    def question_for(self, finding_id: str) -> Question:
        return self.question(self.question_of_finding[finding_id])

    def prior(self, patient: Patient) -> FloatArray:
        """Prior probability of each condition for this person (sums to 1)."""
        weights = (
            self.base_prior
            * self.age_multiplier[patient.age_band]
            * self.sex_multiplier[patient.sex]
        )
        normalised: FloatArray = weights / weights.sum()
        return normalised

    @property
    def age_band_names(self) -> tuple[str, ...]:
        return tuple(name for name, _, _ in AGE_BANDS)
