"""The answers-file format: {"age": 45, "sex": "female", "evidence": [{"id": ..., "state": ...}]}."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from midback.domain import AnswerState, Evidence, Patient, Sex
from midback.engine.evidence import EvidenceError


class EvidenceItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=100)
    state: Literal["present", "absent", "unknown"]


class AnswersInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    age: int = Field(strict=True)
    sex: Sex
    evidence: list[EvidenceItem] = Field(default_factory=list, max_length=500)


def describe_validation_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    return f"field '{where}': {first['msg']}"


def parse_answers(data: Any) -> tuple[Patient, list[Evidence]]:
    """The person and their answers, or an EvidenceError naming what is wrong."""
    try:
        parsed = AnswersInput.model_validate(data)
    except ValidationError as error:
        raise EvidenceError(describe_validation_error(error)) from None
    try:
        patient = Patient(age=parsed.age, sex=parsed.sex)
    except ValueError as error:
        raise EvidenceError(f"field 'age': {error}") from None
    return patient, [Evidence(item.id, AnswerState(item.state)) for item in parsed.evidence]
