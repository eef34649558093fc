"""Loading the findings files: questions, their findings, and P(finding | condition)."""

from __future__ import annotations

from midback.knowledge import model, schema
from midback.knowledge.errors import KnowledgeError
from midback.knowledge.reading import Reader


class FindingsReader(Reader):
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
                    if required in member_ids:
                        raise KnowledgeError(
                            name,
                            f"the question requires its own finding '{required}', so it could "
                            "never be asked",
                            entry=entry,
                            field="applies.requires",
                        )
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
