"""Story-only review: people who did not write or tune midback triage vignettes from the story.

A packet shows each selected vignette as a reviewer would meet the patient: age, sex and the
story, under a code; never its id, source, facts, gold condition or gold level, nor midback's
answer. A reviewer returns, for each code, a triage level, up to three likely causes and a short
reason. The packet's key (code -> vignette id) stays with the project. Scoring sets each
reviewer's answers, and midback's on the same stories, against the gold: it asks whether a
story, as told, carries the level its writer gave it (format: docs/vignettes.md).
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from midback.domain import TriageLevel
from midback.knowledge.model import KnowledgeBase
from midback.validation.benchmark import is_safe_triage
from midback.validation.vignettes import Vignette

REVIEW_DIR = Path(str(resources.files("midback.validation") / "reviews"))
"""Packaged packets: one folder per packet, its key.yaml and one file per reviewer."""

LEVEL_WORDS: dict[TriageLevel, str] = {
    TriageLevel.CALL_AMBULANCE: "call an ambulance now",
    TriageLevel.EMERGENCY_DEPARTMENT: "go to an emergency department now (within hours)",
    TriageLevel.SEE_DOCTOR_24H: "see a doctor today or within 24 hours",
    TriageLevel.SEE_DOCTOR: "book a routine appointment (days to weeks)",
    TriageLevel.SELF_CARE: "self-care at home; see a doctor only if it does not settle",
}
"""The levels as a reviewer reads them: the same five as midback, in neutral words."""


class ReviewError(ValueError):
    """A packet key or review file that cannot be used; names the file, the entry and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PacketKey(_Strict):
    """Which vignette each code in a packet stands for; kept by the project, not the reviewer."""

    packet: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    created: str
    selection: str = Field(min_length=10)
    stories: dict[str, str] = Field(min_length=1)
    """Code -> vignette id."""
    groups: dict[str, tuple[str, ...]] = {}
    """Named sets of the packet's vignettes (ids) to report figures for, such as the emergency
    vignettes midback missed when the packet was made."""


class Reviewer(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    kind: Literal["clinician", "model"]
    description: str = Field(min_length=10)


class ReviewAnswer(_Strict):
    story: str
    level: TriageLevel
    causes: tuple[str, ...] = Field(default=(), max_length=3)
    reason: str = ""


class Review(_Strict):
    packet: str
    reviewer: Reviewer
    answers: tuple[ReviewAnswer, ...] = Field(min_length=1)
    file: str = ""


def make_key(
    packet: str,
    created: str,
    selection: str,
    vignettes: list[Vignette],
    seed: int,
    groups: dict[str, tuple[str, ...]] | None = None,
) -> PacketKey:
    """Codes S001, S002, ... given to the vignettes in an order shuffled by `seed`, so that a
    code says nothing about the vignette's file, split or condition."""
    ids = [v.id for v in vignettes]
    random.Random(seed).shuffle(ids)
    width = max(3, len(str(len(ids))))
    return PacketKey(
        packet=packet,
        created=created,
        selection=selection,
        stories={f"S{n:0{width}d}": vid for n, vid in enumerate(ids, start=1)},
        groups=groups or {},
    )


def render_packet(
    kb: KnowledgeBase, key: PacketKey, vignettes: dict[str, Vignette], order_seed: int
) -> str:
    """The packet a reviewer reads (Markdown): instructions, the causes to choose from, and the
    stories in an order of their own (`order_seed`), each with only its code, age, sex and story."""
    codes = list(key.stories)
    random.Random(order_seed).shuffle(codes)
    levels = "\n".join(f"- `{level.value}`: {words}" for level, words in LEVEL_WORDS.items())
    causes = "\n".join(f"- `{c.id}`: {c.name}" for c in kb.conditions)
    lines = [
        f"# Story-only triage, packet {key.packet}",
        "",
        "Each story below was typed by a person aged 12 or over with pain in the middle or upper",
        "back, as they would type it into a symptom checker. You have only what they wrote: no",
        "examination, no tests, no chance to ask more. For each story choose:",
        "",
        "1. **level**: how urgently this person needs care, as you would advise them today,",
        "   following the guidance you would follow in practice:",
        "",
        levels,
        "",
        "2. **causes**: up to three likely causes, most likely first, from this list:",
        "",
        causes,
        "",
        "3. **reason**: one short line.",
        "",
        "Answer in YAML, one entry per story, every story once:",
        "",
        "```yaml",
        f"packet: {key.packet}",
        "reviewer: {id: YOUR-ID, kind: clinician, description: YOUR ROLE AND EXPERIENCE}",
        "answers:",
        "  - story: S000        # the story's code",
        "    level: LEVEL        # one of the five above",
        "    causes: [CAUSE, CAUSE]   # up to three from the list, most likely first",
        "    reason: ONE SHORT LINE",
        "```",
        "",
        "## Stories",
        "",
    ]
    for code in codes:
        vignette = vignettes[key.stories[code]]
        story = " ".join(vignette.story.split())
        lines += [f"### {code}: {vignette.age}, {vignette.sex.value}", "", story, ""]
    return "\n".join(lines)


def _load_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReviewError(f"{path}: no such file") from None
    except yaml.YAMLError as error:
        raise ReviewError(f"{path.name}: not valid YAML: {error}") from None


def _first_error(name: str, error: ValidationError, what: str = "") -> ReviewError:
    first = error.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "(file)"
    return ReviewError(f"{name}{what}, field '{field}': {first['msg']}")


def load_key(path: Path, vignette_ids: set[str]) -> PacketKey:
    data = _load_yaml(path)
    try:
        key = PacketKey.model_validate(data)
    except ValidationError as error:
        raise _first_error(path.name, error) from None
    for group, ids in key.groups.items():
        for vid in ids:
            if vid not in key.stories.values():
                raise ReviewError(
                    f"{path.name}, group '{group}', field 'groups': '{vid}' is not in the packet"
                )
    for code, vid in key.stories.items():
        if vid not in vignette_ids:
            raise ReviewError(
                f"{path.name}, story '{code}', field 'stories': unknown vignette '{vid}'"
            )
    return key


def load_review(kb: KnowledgeBase, path: Path, key: PacketKey) -> Review:
    """A reviewer's answers, checked against the packet's key: every code answered exactly once,
    every cause a condition of the knowledge base."""
    name = path.name
    data = _load_yaml(path)
    try:
        review = Review.model_validate({**data, "file": name} if isinstance(data, dict) else data)
    except ValidationError as error:
        loc = error.errors()[0]["loc"]
        where = ""
        if (
            len(loc) > 1
            and loc[0] == "answers"
            and isinstance(loc[1], int)
            and isinstance(data, dict)
        ):
            answers = data.get("answers")
            item = answers[loc[1]] if isinstance(answers, list) else None
            code = item.get("story") if isinstance(item, dict) else None
            where = f", story '{code or f'#{loc[1] + 1}'}'"
        raise _first_error(name, error, where) from None
    if review.packet != key.packet:
        raise ReviewError(
            f"{name}, field 'packet': '{review.packet}' but the key is for '{key.packet}'"
        )
    seen: set[str] = set()
    for answer in review.answers:
        where = f"{name}, story '{answer.story}'"
        if answer.story not in key.stories:
            raise ReviewError(f"{where}, field 'story': not a story of packet {key.packet}")
        if answer.story in seen:
            raise ReviewError(f"{where}, field 'story': answered twice")
        seen.add(answer.story)
        for cause in answer.causes:
            if cause not in kb.condition_index:
                raise ReviewError(f"{where}, field 'causes': unknown condition '{cause}'")
    missing = sorted(set(key.stories) - seen)
    if missing:
        raise ReviewError(
            f"{name}: no answer for {len(missing)} stories ({', '.join(missing[:5])})"
        )
    return review


@dataclass(frozen=True)
class Triager:
    """One set of answers to a packet's stories, by vignette id: a reviewer's, the reviewers'
    median, or midback's."""

    name: str
    levels: dict[str, TriageLevel]
    causes: dict[str, tuple[str, ...]] | None = None
    """Likely causes, most likely first (None when the triager gives a level only)."""


def review_triager(review: Review, key: PacketKey) -> Triager:
    return Triager(
        name=review.reviewer.id,
        levels={key.stories[a.story]: a.level for a in review.answers},
        causes={key.stories[a.story]: a.causes for a in review.answers},
    )


def median_triager(name: str, triagers: list[Triager]) -> Triager:
    """The median level of several triagers, story by story (the less urgent of the two middle
    levels when their number is even)."""
    order = list(TriageLevel)
    levels = {}
    for vid in triagers[0].levels:
        ranks = sorted(t.levels[vid].rank for t in triagers)
        levels[vid] = order[statistics.median_low(ranks)]
    return Triager(name=name, levels=levels)


@dataclass(frozen=True)
class TriageFigures:
    """How a triager's levels compare with the gold on a set of vignettes."""

    stories: int
    exact: int
    safe: int
    emergencies: int
    emergencies_called: int
    """Emergency vignettes the triager sent to the emergency department or an ambulance."""
    non_emergencies: int
    non_emergencies_called: int
    """Vignettes whose gold is not an emergency that the triager sent to one anyway."""
    self_care: int
    self_care_24h_or_above: int
    top1: int | None
    top3: int | None


def triage_figures(triager: Triager, vignettes: list[Vignette]) -> TriageFigures:
    given = [(v, triager.levels[v.id]) for v in vignettes]
    emergencies = [(v, level) for v, level in given if v.gold.triage.is_emergency]
    others = [(v, level) for v, level in given if not v.gold.triage.is_emergency]
    self_care = [(v, level) for v, level in given if v.gold.triage == TriageLevel.SELF_CARE]
    causes = triager.causes
    return TriageFigures(
        stories=len(given),
        exact=sum(level == v.gold.triage for v, level in given),
        safe=sum(is_safe_triage(v.gold.triage, level) for v, level in given),
        emergencies=len(emergencies),
        emergencies_called=sum(level.is_emergency for _, level in emergencies),
        non_emergencies=len(others),
        non_emergencies_called=sum(level.is_emergency for _, level in others),
        self_care=len(self_care),
        self_care_24h_or_above=sum(level >= TriageLevel.SEE_DOCTOR_24H for _, level in self_care),
        top1=None
        if causes is None
        else sum(causes[v.id][:1] == (v.gold.condition,) for v in vignettes),
        top3=None if causes is None else sum(v.gold.condition in causes[v.id] for v in vignettes),
    )


def agreement(a: Triager, b: Triager) -> float:
    """The share of stories on which two triagers chose the same level."""
    same = sum(a.levels[vid] == b.levels[vid] for vid in a.levels)
    return same / len(a.levels)
