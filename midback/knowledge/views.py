"""Plain-data views of knowledge-base objects (for JSON output), shared by every adapter."""

from __future__ import annotations

from typing import Any

from midback.knowledge.model import Advice, KnowledgeBase


def advice_view(item: Advice) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "title": item.title,
        "text": item.text,
        "evidence": item.evidence.value,
        "sources": list(item.sources),
    }


def condition_view(kb: KnowledgeBase, condition_id: str, *, full: bool) -> dict[str, Any]:
    c = kb.condition(condition_id)
    view: dict[str, Any] = {
        "id": c.id,
        "name": c.name,
        "clinical_name": c.clinical_name,
        "icd10": c.icd10,
        "snomed_ct": c.snomed_ct,
        "group": c.group,
        "triage_level": c.triage_level.value,
        "summary": c.summary,
    }
    if full:
        view.update(
            {
                "description": c.description,
                "who_gets_it": c.who_gets_it,
                "how_it_feels": c.how_it_feels,
                "warning_signs": [
                    {"text": w.text, "level": w.level.value} for w in c.warning_signs
                ],
                "doctor": c.doctor,
                "imaging": c.imaging,
                "helps": [advice_view(a) for a in c.helps],
                "does_not_help": [advice_view(a) for a in c.does_not_help],
                "sources": [
                    {
                        "id": s,
                        "title": kb.sources[s].title,
                        "url": kb.sources[s].url,
                        "year": kb.sources[s].year,
                    }
                    for s in c.sources
                ],
            }
        )
    return view


def finding_view(kb: KnowledgeBase, finding_id: str) -> dict[str, Any]:
    finding = kb.finding(finding_id)
    question = kb.question(finding.question)
    return {
        "id": finding.id,
        "label": finding.label,
        "question": question.id,
        "ask": question.ask,
        "kind": question.kind,
        "option": finding.option,
        "range": list(finding.range) if finding.range else None,
        "applies": {
            "sex": question.applies.sex.value if question.applies.sex else None,
            "min_age": question.applies.min_age,
            "max_age": question.applies.max_age,
            "requires": list(question.applies.requires),
        },
    }
