"""Load the knowledge-base files, validate them and compile them into a KnowledgeBase.

`load_knowledge()` reads the packaged data once and caches it. Every problem raises a
KnowledgeError that names the file, the entry and the field.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from midback.domain import AGE_BANDS, Sex
from midback.knowledge import model, schema
from midback.knowledge.compile import compile_knowledge
from midback.knowledge.errors import KnowledgeError
from midback.knowledge.findings_loader import FindingsReader
from midback.knowledge.reading import entry_id, parse, read_yaml

DATA_DIR = Path(str(resources.files("midback.knowledge") / "data"))


@cache
def load_knowledge(data_dir: Path | None = None) -> model.KnowledgeBase:
    """The knowledge base, loaded and validated once per data directory."""
    return _Loader(data_dir or DATA_DIR).load()


class _Loader(FindingsReader):
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
        policy = self._policy(
            {question.id for question in questions}, finding_index, condition_index, sources
        )
        claims = self._claims(condition_index, sources)
        return compile_knowledge(
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
            data = read_yaml(self.root, path)
            if not isinstance(data, dict):
                raise KnowledgeError(name, "the file must hold one condition (a mapping)")
            entry = entry_id(data, "id", 0)
            item = parse(schema.ConditionEntry, data, name, entry)
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
                    unless=self._unless(item.unless, finding_index, entry),
                    points_to=item.points_to,
                    says=item.says,
                    sources=self._check_sources(
                        item.sources, sources, "red_flags.yaml", entry, "sources"
                    ),
                )
            )
        return tuple(rules)

    @staticmethod
    def _unless(
        findings: tuple[str, ...], finding_index: dict[str, int], entry: str
    ) -> tuple[str, ...]:
        for finding_id in findings:
            if finding_id not in finding_index:
                raise KnowledgeError(
                    "red_flags.yaml", f"unknown finding '{finding_id}'", entry=entry, field="unless"
                )
        return findings

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

    def _policy(
        self,
        question_ids: set[str],
        finding_index: dict[str, int],
        condition_index: dict[str, int],
        sources: dict[str, model.Source],
    ) -> model.TriagePolicy:
        item = self._mapping(self.root / "triage.yaml", schema.TriagePolicy)
        known_pain = self._known_pain(item.known_pain, finding_index, condition_index, sources)
        for field in ("screen", "before_stopping"):
            for position, question_id in enumerate(getattr(item, field)):
                if question_id not in question_ids:
                    raise KnowledgeError(
                        "triage.yaml",
                        f"unknown question '{question_id}'",
                        field=f"{field}[{position}]",
                    )
        return model.TriagePolicy(
            levels={
                level: model.LevelText(t.title, t.colour, t.icon, t.do_now)
                for level, t in item.levels.items()
            },
            screen=item.screen,
            before_stopping=item.before_stopping,
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
                warning_signs_min_probability=item.stop.warning_signs_min_probability,
            ),
            uncertainty=model.UncertaintyFloor(
                min_questions=item.uncertainty.min_questions,
                unknown_share=item.uncertainty.unknown_share,
                level=item.uncertainty.level,
            ),
            known_pain=known_pain,
            safety_net=item.safety_net,
            disclaimer=item.disclaimer,
        )

    def _known_pain(
        self,
        item: schema.KnownPain | None,
        finding_index: dict[str, int],
        condition_index: dict[str, int],
        sources: dict[str, model.Source],
    ) -> model.KnownPain | None:
        if item is None:
            return None
        if item.finding not in finding_index:
            raise KnowledgeError(
                "triage.yaml", f"unknown finding '{item.finding}'", field="known_pain.finding"
            )
        for position, condition_id in enumerate(item.conditions):
            if condition_id not in condition_index:
                raise KnowledgeError(
                    "triage.yaml",
                    f"unknown condition '{condition_id}'",
                    field=f"known_pain.conditions[{position}]",
                )
        return model.KnownPain(
            finding=item.finding,
            conditions=item.conditions,
            sources=self._check_sources(
                item.sources, sources, "triage.yaml", "known_pain", "known_pain.sources"
            ),
        )


__all__ = ["DATA_DIR", "KnowledgeError", "load_knowledge"]
