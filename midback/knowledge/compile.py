"""Compiling validated knowledge into the arrays the engine computes with."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from midback.domain import AGE_BANDS, Sex
from midback.knowledge import model
from midback.knowledge.errors import KnowledgeError


def compile_knowledge(
    *,
    version: str,
    conditions: tuple[model.Condition, ...],
    questions: tuple[model.Question, ...],
    findings: tuple[model.Finding, ...],
    red_flags: tuple[model.RedFlagRule, ...],
    policy: model.TriagePolicy,
    advice: dict[str, model.Advice],
    sources: dict[str, model.Source],
    scale: dict[str, float],
    population: str,
    claims: tuple[model.Claim, ...],
) -> model.KnowledgeBase:
    n_conditions = len(conditions)
    condition_ids = [condition.id for condition in conditions]
    probability = np.empty((len(findings), n_conditions))
    background = np.empty(len(findings))
    for finding in findings:
        background[finding.index] = finding.background.probability
        for condition_id in condition_ids:
            value = finding.likelihoods.get(condition_id, finding.background)
            probability[finding.index, condition_ids.index(condition_id)] = value.probability
    finding_index = {finding.id: finding.index for finding in findings}

    outcome_rows: list[np.ndarray] = []
    outcome_question: list[int] = []
    starts: list[int] = []
    for question in questions:
        rows = [finding_index[f] for f in question.findings]
        starts.append(len(outcome_rows))
        if question.kind == "yes_no":
            row = probability[rows[0]]
            outcome_rows.extend([row, 1.0 - row])
            outcome_question.extend([question.index, question.index])
        else:
            # The options of a question are mutually exclusive: normalise per condition.
            probability[rows] /= probability[rows].sum(axis=0)
            background[rows] /= background[rows].sum()
            outcome_rows.extend(probability[row] for row in rows)
            outcome_question.extend([question.index] * len(rows))
    outcome = np.array(outcome_rows)

    def prior_row(pick: Callable[[model.Condition], float]) -> np.ndarray:
        return np.array([pick(condition) for condition in conditions], dtype=float)

    base_prior = prior_row(lambda condition: condition.prior.base)
    age_multiplier = np.array(
        [
            prior_row(lambda condition, band=band: condition.prior.age[band])  # type: ignore[misc]
            for band in range(len(AGE_BANDS))
        ]
    )
    sex_multiplier = {
        sex: prior_row(lambda condition, s=sex: condition.prior.sex[s])  # type: ignore[misc]
        for sex in Sex
    }
    for sex in Sex:
        for band, (band_name, _, _) in enumerate(AGE_BANDS):
            if not (base_prior * age_multiplier[band] * sex_multiplier[sex]).any():
                raise KnowledgeError(
                    "priors.yaml", f"every condition has prior 0 for {sex.value} aged {band_name}"
                )
    weights = np.array([policy.information_weights[c.triage_level] for c in conditions])
    log_evidence = np.empty((2 * len(findings), n_conditions))
    log_evidence[0::2] = np.log(probability)
    log_evidence[1::2] = np.log1p(-probability)
    return model.KnowledgeBase(
        version=version,
        conditions=conditions,
        findings=findings,
        questions=questions,
        red_flags=red_flags,
        policy=policy,
        advice=advice,
        sources=sources,
        frequency_scale=scale,
        prior_population=population,
        claims=claims,
        probability=probability,
        background=background,
        condition_index={condition.id: condition.index for condition in conditions},
        finding_index=finding_index,
        question_index={question.id: question.index for question in questions},
        question_of_finding={finding.id: finding.question for finding in findings},
        log_present=log_evidence[0::2].copy(),
        log_absent=log_evidence[1::2].copy(),
        log_evidence=log_evidence,
        outcome_probability=outcome,
        outcome_plogp=outcome * np.log(outcome),
        outcome_question=np.array(outcome_question, dtype=np.intp),
        question_outcome_start=np.array(starts, dtype=np.intp),
        base_prior=base_prior,
        age_multiplier=age_multiplier,
        sex_multiplier=sex_multiplier,
        information_weight=weights,
    )
