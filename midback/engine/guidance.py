"""Advice for an assessment: what to do now, a self-care plan, what not to do, a safety net."""

from __future__ import annotations

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


def guidance(kb: KnowledgeBase, level: TriageLevel, posterior: Posterior) -> Guidance:
    """The advice for this triage level and differential."""
    ranked = posterior.ranked()
    likely = [
        kb.condition(cid)
        for rank, (cid, p) in enumerate(ranked)
        if rank == 0 or (p >= PLAN_THRESHOLD and rank < 5)
    ]
    helps = [item for condition in likely for item in condition.helps]
    self_care = [item for item in helps if item.kind == "self_care"]
    treatments = [item for item in helps if item.kind != "self_care"]
    not_recommended = [item for condition in likely for item in condition.does_not_help]
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
