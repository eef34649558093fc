"""Advice for an assessment: what to do now, a self-care plan, what not to do, a safety net."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from midback.domain import TriageLevel
from midback.engine.inference import Posterior
from midback.knowledge.model import Advice, KnowledgeBase

PLAN_THRESHOLD = 0.10
"""Conditions at least this likely (and always the top one) shape the self-care plan."""


@dataclass(frozen=True)
class Guidance:
    level: TriageLevel
    title: str
    do_now: str
    self_care: tuple[Advice, ...]
    treatments: tuple[Advice, ...]
    not_recommended: tuple[Advice, ...]
    safety_net: tuple[str, ...]
    disclaimer: str


def _unique(items: list[Advice]) -> tuple[Advice, ...]:
    """The items without repeats, in first-seen order."""
    first: dict[str, Advice] = {}
    for item in items:
        first.setdefault(item.id, item)
    return tuple(first.values())


def guidance(
    kb: KnowledgeBase,
    level: TriageLevel,
    posterior: Posterior,
    urgent_causes: Collection[str] = (),
) -> Guidance:
    """The advice for this triage level and differential.

    `urgent_causes` are the conditions behind an emergency level (those its red flags point
    to, or a dangerous condition too likely to ignore). At an emergency level the advice speaks
    only of them and of likely causes that are emergencies in their own right, and offers no
    self-care: treatment meant for a strain (manipulation, a muscle relaxant) must not read as
    an alternative to going now.
    """
    ranked = posterior.ranked()
    likely = [
        kb.condition(cid)
        for rank, (cid, p) in enumerate(ranked)
        if rank == 0 or (p >= PLAN_THRESHOLD and rank < 5)
    ]
    advised = likely
    if level.is_emergency:
        top_five = {cid for cid, _ in ranked[:5]}
        advised = [c for c in likely if c.triage_level.is_emergency or c.id in urgent_causes]
        advised += [
            kb.condition(cid)
            for cid, _ in ranked
            if cid in urgent_causes and cid in top_five and kb.condition(cid) not in advised
        ]
    helps = [item for condition in advised for item in condition.helps]
    self_care = [item for item in helps if item.kind == "self_care"]
    treatments = [item for item in helps if item.kind != "self_care"]
    not_recommended = [item for condition in advised for item in condition.does_not_help]
    if level.is_emergency:
        self_care = []  # nothing should delay emergency care
    safety_net = list(kb.policy.safety_net)
    for condition in likely:
        # The general safety net already covers every emergency; add the likely causes' own
        # warning signs that call for a doctor, which it cannot know.
        for sign in condition.warning_signs:
            if sign.level.is_emergency:
                continue
            line = f"{sign.text.rstrip('.')}: {kb.policy.levels[sign.level].title.lower()}."
            if sign.level > level and line not in safety_net:
                safety_net.append(line)
    text = kb.policy.levels[level]
    return Guidance(
        level=level,
        title=text.title,
        do_now=text.do_now,
        self_care=_unique(self_care),
        treatments=_unique(treatments),
        not_recommended=_unique(not_recommended),
        safety_net=tuple(safety_net),
        disclaimer=kb.policy.disclaimer,
    )
