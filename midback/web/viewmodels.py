"""Plain data built from engine results, shared by the HTML pages and the JSON API."""

from __future__ import annotations

from typing import Any

from midback.engine.interview import NextQuestion
from midback.knowledge.model import KnowledgeBase


def next_question_view(kb: KnowledgeBase, step: NextQuestion | None) -> dict[str, Any] | None:
    if step is None:
        return None
    question = step.question
    view: dict[str, Any] = {
        "id": question.id,
        "text": question.ask,
        "kind": question.kind,
        "phase": step.phase,
        "options": None,
    }
    if question.kind == "yes_no":
        view["answers"] = [
            {"finding": question.id, "answer": "yes"},
            {"finding": question.id, "answer": "no"},
        ]
    else:
        options = []
        for finding_id in question.findings:
            finding = kb.finding(finding_id)
            options.append(
                {
                    "finding": finding_id,
                    "text": finding.option or finding.label,
                    "range": list(finding.range) if finding.range else None,
                }
            )
        view["options"] = options
    if question.kind == "number":
        view["min"], view["max"] = question.min, question.max
    return view
