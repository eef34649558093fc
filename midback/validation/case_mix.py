"""How much ranking accuracy the priors cost on a vignette suite whose case mix is not the
population's.

The priors describe people with mid or upper back pain in general, among whom an emergency is
rare; a third of the vignettes are emergencies. Ranking each vignette's full facts again with
every condition the person could have equally likely beforehand (a flat prior: zero stays zero,
so a man is never given a pregnancy cause) measures the knowledge base's likelihoods alone. The
difference between the two rankings is what the population priors cost on this suite; what the
flat prior still gets wrong is down to the likelihoods and the coding of the vignettes. This is
a measurement, not a setting: midback always ranks with the population priors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from midback.domain import Patient
from midback.engine.inference import log_prior, posterior_from_log_prior
from midback.knowledge.model import FloatArray, KnowledgeBase
from midback.validation.vignettes import Vignette


def flat_log_prior(kb: KnowledgeBase, patient: Patient) -> FloatArray:
    """Log of a prior that makes every condition possible for this person equally likely."""
    possible = kb.prior(patient) > 0
    flat: FloatArray = np.where(possible, 0.0, -np.inf)
    return flat


def ranked_conditions(kb: KnowledgeBase, vignette: Vignette, *, flat: bool) -> list[str]:
    """Condition ids, most probable first, given every fact of the vignette at once."""
    evidence = {e.finding: e.state for e in vignette.evidence}
    prior = flat_log_prior(kb, vignette.patient) if flat else log_prior(kb, vignette.patient)
    return [c for c, _ in posterior_from_log_prior(kb, prior, evidence).ranked()]


@dataclass(frozen=True)
class RankingFigures:
    vignettes: int
    top1: float
    top3: float


def ranking_figures(
    kb: KnowledgeBase, vignettes: Sequence[Vignette], *, flat: bool
) -> RankingFigures:
    """Top-1 and top-3 accuracy of the full-facts ranking, with the population or a flat prior."""
    if not vignettes:
        raise ValueError("no vignettes to rank")
    top1 = top3 = 0
    for vignette in vignettes:
        ranked = ranked_conditions(kb, vignette, flat=flat)
        top1 += ranked[0] == vignette.gold.condition
        top3 += vignette.gold.condition in ranked[:3]
    return RankingFigures(len(vignettes), top1 / len(vignettes), top3 / len(vignettes))
