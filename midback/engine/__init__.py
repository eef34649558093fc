"""The reasoning engine: posterior, question choice, red flags, triage, explanation, advice.

A library with no knowledge of terminals, web servers, databases or the environment.
"""

from midback.engine.assessment import Assessment, NextQuestion
from midback.engine.evidence import EvidenceError
from midback.engine.inference import Posterior, posterior, reference_posterior
from midback.engine.result import AssessmentResult
from midback.engine.triage import TriageDecision, TriageReason, triage

__all__ = [
    "Assessment",
    "AssessmentResult",
    "EvidenceError",
    "NextQuestion",
    "Posterior",
    "TriageDecision",
    "TriageReason",
    "posterior",
    "reference_posterior",
    "triage",
]
