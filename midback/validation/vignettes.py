"""Vignette files: loading and validation (format: docs/vignettes.md)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from midback.domain import AnswerState, Evidence, Patient, Sex, TriageLevel
from midback.engine.evidence import EvidenceError, check_evidence
from midback.knowledge.model import KnowledgeBase

VIGNETTE_DIR = Path(str(resources.files("midback.validation") / "vignettes"))


class VignetteError(ValueError):
    """A vignette file that cannot be used; names the file, the vignette and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VignetteSource(_Strict):
    title: str = Field(min_length=3)
    url: str = Field(pattern=r"^https?://\S+$")
    kind: Literal["case_report", "case_series", "textbook", "review"]


class Gold(_Strict):
    condition: str
    acceptable: tuple[str, ...] = ()
    triage: TriageLevel


class Vignette(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=5)
    split: Literal["tune", "test", "holdout"]
    source: VignetteSource
    age: int
    sex: Sex
    story: str = Field(min_length=20)
    complaint: tuple[str, ...] = ()
    present: tuple[str, ...] = Field(min_length=1)
    absent: tuple[str, ...] = ()
    gold: Gold
    tags: tuple[str, ...] = ()
    notes: str | None = None
    file: str = ""

    @property
    def patient(self) -> Patient:
        return Patient(self.age, self.sex)

    @property
    def evidence(self) -> list[Evidence]:
        return [Evidence(f, AnswerState.PRESENT) for f in self.present] + [
            Evidence(f, AnswerState.ABSENT) for f in self.absent
        ]


def _check(kb: KnowledgeBase, vignette: Vignette, where: str) -> None:
    def fail(field: str, problem: str) -> VignetteError:
        return VignetteError(f"{where}, vignette '{vignette.id}', field '{field}': {problem}")

    for field, condition in [("gold.condition", vignette.gold.condition)] + [
        ("gold.acceptable", c) for c in vignette.gold.acceptable
    ]:
        if condition not in kb.condition_index:
            raise fail(field, f"unknown condition '{condition}'")
    missing = set(vignette.complaint) - set(vignette.present)
    if missing:
        raise fail("complaint", f"{', '.join(sorted(missing))} not listed under 'present'")
    try:
        patient = vignette.patient
    except ValueError as error:
        raise fail("age", str(error)) from None
    try:
        check_evidence(kb, patient, vignette.evidence)
    except EvidenceError as error:
        raise fail("present/absent", str(error)) from None
    try:
        check_evidence(
            kb, patient, [e for e in vignette.evidence if e.finding in vignette.complaint]
        )
    except EvidenceError as error:
        raise fail("complaint", f"said first on its own, {error}") from None


def load_vignette_file(kb: KnowledgeBase, path: Path) -> list[Vignette]:
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VignetteError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise VignetteError(f"{path}: a folder, not a vignette file") from None
    except UnicodeDecodeError:
        raise VignetteError(f"{name}: not UTF-8 text") from None
    except yaml.YAMLError as error:
        raise VignetteError(f"{name}: not valid YAML: {error}") from None
    if not isinstance(data, list):
        raise VignetteError(f"{name}: the file must hold a list of vignettes")
    vignettes = []
    for index, item in enumerate(data):
        entry = item.get("id", f"#{index + 1}") if isinstance(item, dict) else f"#{index + 1}"
        try:
            vignette = Vignette.model_validate(
                {**item, "file": name} if isinstance(item, dict) else item
            )
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "(entry)"
            raise VignetteError(
                f"{name}, vignette '{entry}', field '{field}': {first['msg']}"
            ) from None
        _check(kb, vignette, name)
        vignettes.append(vignette)
    return vignettes


def load_vignettes(kb: KnowledgeBase, paths: list[Path] | None = None) -> list[Vignette]:
    """Every vignette in the given files (default: the packaged suite); ids must be unique."""
    files = paths or sorted(VIGNETTE_DIR.glob("*.yaml"))
    vignettes: list[Vignette] = []
    seen: dict[str, str] = {}
    for path in files:
        for vignette in load_vignette_file(kb, path):
            if vignette.id in seen:
                raise VignetteError(
                    f"{path.name}, vignette '{vignette.id}': duplicate id (also in {seen[vignette.id]})"
                )
            seen[vignette.id] = path.name
            vignettes.append(vignette)
    return vignettes
