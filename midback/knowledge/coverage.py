"""What the knowledge base covers, and how much of it rests on a source (for `midback kb check`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from midback.domain import TriageLevel
from midback.knowledge.model import KnowledgeBase

STRONG_RATIO = 3.0
"""A likelihood at least this many times the background (or at most 1/this) is 'discriminating'."""


def coverage(kb: KnowledgeBase) -> dict[str, Any]:
    """Counts and shares that describe the knowledge base."""
    explicit = [
        (finding, condition_id, value)
        for finding in kb.findings
        for condition_id, value in finding.likelihoods.items()
    ]
    numeric = sum(1 for _, _, v in explicit if v.origin == "source")
    qualitative = sum(1 for _, _, v in explicit if v.origin == "source_qualitative")
    estimates = sum(1 for _, _, v in explicit if v.origin == "estimate")
    discriminating = [
        (f, c, v)
        for f, c, v in explicit
        if max(v.probability / f.background.probability, f.background.probability / v.probability)
        >= STRONG_RATIO
    ]
    red_flag_findings = {f for rule in kb.red_flags for f in rule.findings}
    red_flag_entries = [(f, c, v) for f, c, v in explicit if f.id in red_flag_findings]
    backgrounds_sourced = sum(1 for f in kb.findings if f.background.source is not None)

    def share(part: int, whole: int) -> float:
        return round(part / whole, 4) if whole else 0.0

    def sourced(entries: list[Any]) -> int:
        return sum(1 for _, _, v in entries if v.source is not None)

    dangerous = [c for c in kb.conditions if c.triage_level >= TriageLevel.SEE_DOCTOR_24H]
    used_sources = {s for c in kb.conditions for s in c.sources}
    used_sources |= {s for rule in kb.red_flags for s in rule.sources}
    used_sources |= {v.source for _, _, v in explicit if v.source}
    used_sources |= {a for item in kb.advice.values() for a in item.sources}
    return {
        "version": kb.version,
        "conditions": len(kb.conditions),
        "conditions_with_sources": sum(1 for c in kb.conditions if c.sources),
        "conditions_with_snomed_ct": sum(1 for c in kb.conditions if c.snomed_ct),
        "dangerous_conditions": len(dangerous),
        "questions": len(kb.questions),
        "findings": len(kb.findings),
        "red_flag_rules": len(kb.red_flags),
        "red_flag_rules_with_sources": sum(1 for r in kb.red_flags if r.sources),
        "advice_items": len(kb.advice),
        "sources": len(kb.sources),
        "sources_cited": len(used_sources & set(kb.sources)),
        "likelihoods": {
            "total_cells": int(np.size(kb.probability)),
            "explicit": len(explicit),
            "from_background": int(np.size(kb.probability)) - len(explicit),
            "sourced_numbers": numeric,
            "sourced_qualitative": qualitative,
            "estimates": estimates,
            "share_sourced": share(numeric + qualitative, len(explicit)),
            "discriminating": len(discriminating),
            "discriminating_share_sourced": share(sourced(discriminating), len(discriminating)),
            "red_flag_findings_share_sourced": share(
                sourced(red_flag_entries), len(red_flag_entries)
            ),
            "backgrounds_sourced": backgrounds_sourced,
        },
        "priors_estimated": sum(1 for c in kb.conditions if c.prior.source is None),
    }
