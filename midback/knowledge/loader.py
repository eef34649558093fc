"""Load the knowledge-base files, validate them and compile them into a KnowledgeBase.

`load_knowledge()` reads the packaged data once and caches it. Every problem raises a
KnowledgeError that names the file, the entry and the field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import yaml
from pydantic import BaseModel, ValidationError

from midback import __version__
from midback.domain import AGE_BANDS, Sex, TriageLevel
from midback.knowledge import model, schema
from midback.knowledge.errors import KnowledgeError

M = TypeVar("M", bound=BaseModel)

DATA_DIR = Path(str(resources.files("midback.knowledge") / "data"))


@cache
def load_knowledge(data_dir: Path | None = None) -> model.KnowledgeBase:
    """The knowledge base, loaded and validated once per data directory."""
    return _Loader(data_dir or DATA_DIR).load()


# Reading -------------------------------------------------------------------------------------


def _read_yaml(root: Path, path: Path) -> Any:
    name = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(name, "the file is missing") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise KnowledgeError(name, f"this is not valid YAML{where}: {error}") from None


def _field_path(location: Iterable[int | str]) -> str:
    parts: list[str] = []
    for part in location:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part in {
            "str",
            "AdviceRef",
            "AdviceItem",
            "RuleCondition",
            "function-before[_bare_word_is_estimate(), LikelihoodEntry]",
        }:
            continue
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or "(entry)"


def _parse(kind: type[M], data: Any, file: str, entry: str | None) -> M:
    try:
        return kind.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise KnowledgeError(
            file,
            first["msg"]
            + (f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""),
            entry=entry,
            field=_field_path(first["loc"]),
        ) from None


def _entry_id(data: Any, key: str, index: int) -> str:
    if isinstance(data, dict) and isinstance(data.get(key), str):
        return str(data[key])
    return f"#{index + 1}"


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.used_sources: set[str] = set()

    # -- files --------------------------------------------------------------------------------

    def _files(self, pattern: str) -> list[Path]:
        files = sorted(self.root.glob(pattern))
        if not files:
            raise KnowledgeError(pattern, "no such file in the knowledge base")
        return files

    def _name(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _list_entries(self, path: Path, kind: type[M], key: str) -> Iterator[tuple[str, M]]:
        data = _read_yaml(self.root, path)
        name = self._name(path)
        if not isinstance(data, list):
            raise KnowledgeError(name, "the file must hold a list of entries")
        for index, item in enumerate(data):
            entry = _entry_id(item, key, index)
            yield entry, _parse(kind, item, name, entry)

    def _mapping(self, path: Path, kind: type[M]) -> M:
        data = _read_yaml(self.root, path)
        name = self._name(path)
        if not isinstance(data, dict):
            raise KnowledgeError(name, "the file must hold a mapping")
        return _parse(kind, data, name, None)

    def version(self) -> str:
        digest = hashlib.sha256()
        for path in sorted(self.root.rglob("*.yaml")):
            digest.update(self._name(path).encode())
            digest.update(path.read_bytes())
        return f"{__version__}+kb.{digest.hexdigest()[:10]}"

    # -- the whole load ------------------------------------------------------------------------

    def load(self) -> model.KnowledgeBase:
        if not self.root.is_dir():
            raise KnowledgeError(str(self.root), "the knowledge-base folder does not exist")
        sources = self._sources()
        scale_file = self.root / "frequency_scale.yaml"
        scale: dict[str, float] = {
            str(word): value
            for word, value in self._mapping(scale_file, schema.FrequencyScale).scale.items()
        }
        advice = self._advice(sources)
        priors_file = self._mapping(self.root / "priors.yaml", schema.PriorsFile)
        conditions = self._conditions(advice, priors_file, sources)
        condition_index = {condition.id: condition.index for condition in conditions}
        questions, findings = self._findings(condition_index, scale, sources)
        finding_index = {finding.id: finding.index for finding in findings}
        red_flags = self._red_flags(finding_index, condition_index, sources)
        policy = self._policy({question.id for question in questions})
        claims = self._claims(condition_index, sources)
        return _compile(
            version=self.version(),
            conditions=conditions,
            questions=questions,
            findings=findings,
            red_flags=red_flags,
            policy=policy,
            advice=advice,
            sources=sources,
            scale=dict(scale),
            population=priors_file.population,
            claims=claims,
        )

    def _check_sources(
        self,
        ids: Iterable[str],
        sources: dict[str, model.Source],
        file: str,
        entry: str,
        field: str,
    ) -> tuple[str, ...]:
        ids = tuple(ids)
        for source_id in ids:
            if source_id not in sources:
                raise KnowledgeError(
                    file,
                    f"unknown source '{source_id}' (add it to sources/*.yaml)",
                    entry=entry,
                    field=field,
                )
            self.used_sources.add(source_id)
        return ids

    def _sources(self) -> dict[str, model.Source]:
        sources: dict[str, model.Source] = {}
        for path in self._files("sources/*.yaml"):
            for entry, item in self._list_entries(path, schema.SourceEntry, "id"):
                if item.id in sources:
                    raise KnowledgeError(
                        self._name(path), "duplicate source id", entry=entry, field="id"
                    )
                sources[item.id] = model.Source(
                    id=item.id,
                    title=item.title,
                    kind=item.kind,
                    publisher=item.publisher,
                    year=item.year,
                    url=item.url,
                    note=item.note,
                )
        return sources

    def _advice(self, sources: dict[str, model.Source]) -> dict[str, model.Advice]:
        path = self.root / "advice.yaml"
        advice: dict[str, model.Advice] = {}
        for entry, item in self._list_entries(path, schema.AdviceItem, "id"):
            if item.id in advice:
                raise KnowledgeError("advice.yaml", "duplicate advice id", entry=entry, field="id")
            advice[item.id] = self._advice_item(item, sources, "advice.yaml", entry, "sources")
        return advice

    def _advice_item(
        self,
        item: schema.AdviceItem,
        sources: dict[str, model.Source],
        file: str,
        entry: str,
        field: str,
    ) -> model.Advice:
        return model.Advice(
            id=item.id,
            kind=item.kind,
            title=item.title,
            text=item.text,
            evidence=item.evidence,
            sources=self._check_sources(item.sources, sources, file, entry, field),
        )

    def _conditions(
        self,
        advice: dict[str, model.Advice],
        priors_file: schema.PriorsFile,
        sources: dict[str, model.Source],
    ) -> tuple[model.Condition, ...]:
        conditions: list[model.Condition] = []
        seen: set[str] = set()
        for path in self._files("conditions/*.yaml"):
            name = self._name(path)
            data = _read_yaml(self.root, path)
            if not isinstance(data, dict):
                raise KnowledgeError(name, "the file must hold one condition (a mapping)")
            entry = _entry_id(data, "id", 0)
            item = _parse(schema.ConditionEntry, data, name, entry)
            if item.id != path.stem:
                raise KnowledgeError(
                    name,
                    f"the id must match the file name '{path.stem}'",
                    entry=item.id,
                    field="id",
                )
            if item.id in seen:  # pragma: no cover - file names are unique
                raise KnowledgeError(name, "duplicate condition id", entry=item.id, field="id")
            seen.add(item.id)
            prior_entry = priors_file.priors.get(item.id)
            if prior_entry is None:
                raise KnowledgeError("priors.yaml", "this condition has no prior", entry=item.id)
            if prior_entry.source is not None:
                self._check_sources([prior_entry.source], sources, "priors.yaml", item.id, "source")
            self._check_sources(
                prior_entry.modifier_sources, sources, "priors.yaml", item.id, "modifier_sources"
            )

            def resolve(
                refs: tuple[schema.AdviceRef | schema.AdviceItem, ...],
                field: str,
                *,
                _name: str = name,
                _id: str = item.id,
            ) -> tuple[model.Advice, ...]:
                resolved: list[model.Advice] = []
                for index, ref in enumerate(refs):
                    if isinstance(ref, schema.AdviceRef):
                        if ref.advice not in advice:
                            raise KnowledgeError(
                                _name,
                                f"unknown advice id '{ref.advice}'",
                                entry=_id,
                                field=f"{field}[{index}]",
                            )
                        resolved.append(advice[ref.advice])
                    else:
                        resolved.append(
                            self._advice_item(ref, sources, _name, _id, f"{field}[{index}].sources")
                        )
                return tuple(resolved)

            snomed_source = None
            if item.snomed_ct is not None:
                snomed_source = self._check_sources(
                    [item.snomed_ct.source], sources, name, item.id, "snomed_ct.source"
                )[0]
            conditions.append(
                model.Condition(
                    id=item.id,
                    index=len(conditions),
                    name=item.name,
                    clinical_name=item.clinical_name,
                    icd10=item.icd10,
                    group=item.group,
                    triage_level=item.triage_level,
                    summary=item.summary,
                    description=item.description,
                    who_gets_it=item.who_gets_it,
                    how_it_feels=item.how_it_feels,
                    warning_signs=tuple(
                        model.WarningSign(w.text, w.level) for w in item.warning_signs
                    ),
                    doctor=item.doctor,
                    imaging=item.imaging,
                    helps=resolve(item.helps, "helps"),
                    does_not_help=resolve(item.does_not_help, "does_not_help"),
                    sources=self._check_sources(item.sources, sources, name, item.id, "sources"),
                    prior=model.Prior(
                        base=prior_entry.base,
                        age=tuple(prior_entry.age.get(band, 1.0) for band, _, _ in AGE_BANDS),
                        sex={sex: prior_entry.sex.get(sex, 1.0) for sex in Sex},
                        source=prior_entry.source,
                        note=prior_entry.note,
                    ),
                    snomed_ct=item.snomed_ct.code if item.snomed_ct else None,
                    snomed_ct_source=snomed_source,
                )
            )
        for condition_id in priors_file.priors:
            if condition_id not in seen:
                raise KnowledgeError(
                    "priors.yaml", "a prior for a condition that does not exist", entry=condition_id
                )
        return tuple(conditions)

    def _likelihood(
        self,
        entry: schema.LikelihoodEntry,
        scale: dict[str, float],
        sources: dict[str, model.Source],
        file: str,
        finding: str,
        field: str,
        origin_if_estimate: model.Origin = "estimate",
    ) -> model.Likelihood:
        if entry.source is not None:
            self._check_sources([entry.source], sources, file, finding, field + ".source")
        if entry.p is not None:
            probability = entry.p
            origin: model.Origin = "source" if entry.source else origin_if_estimate
        else:
            assert entry.freq is not None
            probability = scale[entry.freq]
            origin = "source_qualitative" if entry.source else origin_if_estimate
        return model.Likelihood(
            probability=probability,
            origin=origin,
            source=entry.source,
            word=entry.freq,
            note=entry.note,
        )

    def _findings(
        self,
        condition_index: dict[str, int],
        scale: dict[str, float],
        sources: dict[str, model.Source],
    ) -> tuple[tuple[model.Question, ...], tuple[model.Finding, ...]]:
        questions: list[model.Question] = []
        findings: list[model.Finding] = []
        question_ids: set[str] = set()
        finding_ids: set[str] = set()
        requires: list[tuple[str, str, str]] = []
        for path in self._files("findings/*.yaml"):
            name = self._name(path)
            for entry, item in self._list_entries(path, schema.QuestionEntry, "question"):
                if item.question in question_ids:
                    raise KnowledgeError(
                        name, "duplicate question id", entry=entry, field="question"
                    )
                question_ids.add(item.question)
                if item.kind == "yes_no":
                    assert item.label is not None and item.background is not None
                    parts = [
                        schema.FindingEntry(
                            id=item.question,
                            label=item.label,
                            background=item.background,
                            likelihoods=item.likelihoods or {},
                        )
                    ]
                    prefix = ""
                else:
                    assert item.findings is not None
                    parts = list(item.findings)
                    prefix = "findings."
                member_ids: list[str] = []
                for position, part in enumerate(parts):
                    where = f"findings[{position}]." if prefix else ""
                    if part.id in finding_ids:
                        raise KnowledgeError(
                            name,
                            f"duplicate finding id '{part.id}'",
                            entry=entry,
                            field=where + "id",
                        )
                    finding_ids.add(part.id)
                    likelihoods: dict[str, model.Likelihood] = {}
                    for condition_id, value in part.likelihoods.items():
                        if condition_id not in condition_index:
                            raise KnowledgeError(
                                name,
                                f"unknown condition '{condition_id}'",
                                entry=entry,
                                field=f"{where}likelihoods.{condition_id}",
                            )
                        likelihoods[condition_id] = self._likelihood(
                            value, scale, sources, name, entry, f"{where}likelihoods.{condition_id}"
                        )
                    background = self._likelihood(
                        part.background, scale, sources, name, entry, where + "background"
                    )
                    findings.append(
                        model.Finding(
                            id=part.id,
                            index=len(findings),
                            question=item.question,
                            label=part.label,
                            background=background,
                            likelihoods=likelihoods,
                            option=part.option,
                            range=part.range,
                        )
                    )
                    member_ids.append(part.id)
                for required in item.applies.requires:
                    requires.append((name, entry, required))
                questions.append(
                    model.Question(
                        id=item.question,
                        index=len(questions),
                        ask=item.ask,
                        kind=item.kind,
                        findings=tuple(member_ids),
                        applies=model.Applicability(
                            sex=item.applies.sex,
                            min_age=item.applies.min_age,
                            max_age=item.applies.max_age,
                            requires=item.applies.requires,
                        ),
                        cluster=item.cluster,
                        min=item.min,
                        max=item.max,
                        unit=item.unit,
                    )
                )
        for name, entry, required in requires:
            if required not in finding_ids:
                raise KnowledgeError(
                    name, f"unknown finding '{required}'", entry=entry, field="applies.requires"
                )
        return tuple(questions), tuple(findings)

    def _rule_node(
        self, node: schema.RuleCondition | str, finding_index: dict[str, int], file: str, entry: str
    ) -> model.RuleNode:
        if isinstance(node, str):
            node = schema.RuleCondition(finding=node)
        if node.finding is not None:
            if node.finding not in finding_index:
                raise KnowledgeError(
                    file, f"unknown finding '{node.finding}'", entry=entry, field="when"
                )
            return model.FindingIs(node.finding)
        if node.all is not None:
            return model.AllOf(
                tuple(self._rule_node(p, finding_index, file, entry) for p in node.all)
            )
        if node.any is not None:
            return model.AnyOf(
                tuple(self._rule_node(p, finding_index, file, entry) for p in node.any)
            )
        if node.age_at_least is not None:
            return model.AgeAtLeast(node.age_at_least)
        if node.age_below is not None:
            return model.AgeBelow(node.age_below)
        assert node.sex is not None
        return model.SexIs(node.sex)

    def _red_flags(
        self,
        finding_index: dict[str, int],
        condition_index: dict[str, int],
        sources: dict[str, model.Source],
    ) -> tuple[model.RedFlagRule, ...]:
        rules: list[model.RedFlagRule] = []
        seen: set[str] = set()
        for entry, item in self._list_entries(
            self.root / "red_flags.yaml", schema.RedFlagEntry, "id"
        ):
            if item.id in seen:
                raise KnowledgeError(
                    "red_flags.yaml", "duplicate red-flag id", entry=entry, field="id"
                )
            seen.add(item.id)
            for condition_id in item.points_to:
                if condition_id not in condition_index:
                    raise KnowledgeError(
                        "red_flags.yaml",
                        f"unknown condition '{condition_id}'",
                        entry=entry,
                        field="points_to",
                    )
            rules.append(
                model.RedFlagRule(
                    id=item.id,
                    name=item.name,
                    level=item.level,
                    when=self._rule_node(item.when, finding_index, "red_flags.yaml", entry),
                    points_to=item.points_to,
                    says=item.says,
                    sources=self._check_sources(
                        item.sources, sources, "red_flags.yaml", entry, "sources"
                    ),
                )
            )
        return tuple(rules)

    def _claims(
        self, condition_index: dict[str, int], sources: dict[str, model.Source]
    ) -> tuple[model.Claim, ...]:
        claims: list[model.Claim] = []
        seen: set[str] = set()
        for entry, item in self._list_entries(self.root / "claims.yaml", schema.ClaimEntry, "id"):
            if item.id in seen:
                raise KnowledgeError("claims.yaml", "duplicate claim id", entry=entry, field="id")
            seen.add(item.id)
            for condition_id in item.conditions:
                if condition_id not in condition_index:
                    raise KnowledgeError(
                        "claims.yaml",
                        f"unknown condition '{condition_id}'",
                        entry=entry,
                        field="conditions",
                    )
            claims.append(
                model.Claim(
                    id=item.id,
                    claim=item.claim,
                    quote=item.quote,
                    verdict=item.verdict,
                    reason=item.reason,
                    sources=self._check_sources(
                        item.sources, sources, "claims.yaml", entry, "sources"
                    ),
                    conditions=item.conditions,
                )
            )
        return tuple(claims)

    def _policy(self, question_ids: set[str]) -> model.TriagePolicy:
        item = self._mapping(self.root / "triage.yaml", schema.TriagePolicy)
        for position, question_id in enumerate(item.screen):
            if question_id not in question_ids:
                raise KnowledgeError(
                    "triage.yaml", f"unknown question '{question_id}'", field=f"screen[{position}]"
                )
        return model.TriagePolicy(
            levels={
                level: model.LevelText(t.title, t.colour, t.icon, t.do_now)
                for level, t in item.levels.items()
            },
            screen=item.screen,
            escalation={
                level: tuple((step.at, step.level) for step in steps)
                for level, steps in item.escalation.items()
            },
            information_weights=dict(item.information_weights),
            completion_level=item.completion_level,
            completion_min_probability=dict(item.completion_min_probability),
            stop=model.StopRule(
                top_probability=item.stop.top_probability,
                dangerous_level=item.stop.dangerous_level,
                dangerous_below=item.stop.dangerous_below,
                max_questions=item.stop.max_questions,
                min_gain=item.stop.min_gain,
            ),
            safety_net=item.safety_net,
            disclaimer=item.disclaimer,
        )


# Compiling -----------------------------------------------------------------------------------


def _compile(
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


__all__ = ["DATA_DIR", "KnowledgeError", "TriageLevel", "load_knowledge"]
