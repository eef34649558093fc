"""Loading bad knowledge-base data fails loudly, naming the file, the entry and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from midback.knowledge import KnowledgeError
from midback.knowledge.loader import _Loader


def load(path: Path):
    return _Loader(path).load()


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_the_small_knowledge_base_loads(small_kb) -> None:
    assert [c.id for c in small_kb.conditions] == ["benign", "middling", "serious"]
    assert len(small_kb.findings) == 8


def test_a_probability_outside_0_and_1_names_file_entry_and_field(small_kb_copy: Path) -> None:
    edit_yaml(
        small_kb_copy / "findings/test.yaml",
        lambda d: d[0]["likelihoods"].update(serious={"p": 1.2, "source": "Test2024"}),
    )
    with pytest.raises(KnowledgeError) as error:
        load(small_kb_copy)
    assert error.value.file == "findings/test.yaml"
    assert error.value.entry == "a"
    assert error.value.field == "likelihoods.serious.p"
    assert "less than 1" in str(error.value)


def test_a_probability_of_exactly_zero_is_refused(small_kb_copy: Path) -> None:
    edit_yaml(
        small_kb_copy / "findings/test.yaml",
        lambda d: d[0].update(background={"p": 0.0, "estimate": True}),
    )
    with pytest.raises(KnowledgeError, match="greater than 0"):
        load(small_kb_copy)


def test_a_finding_that_names_an_unknown_condition(small_kb_copy: Path) -> None:
    edit_yaml(
        small_kb_copy / "findings/test.yaml", lambda d: d[0]["likelihoods"].update(hernia="often")
    )
    with pytest.raises(KnowledgeError) as error:
        load(small_kb_copy)
    assert str(error.value) == (
        "findings/test.yaml, entry 'a', field 'likelihoods.hernia': unknown condition 'hernia'"
    )


def test_a_condition_with_no_source(small_kb_copy: Path) -> None:
    edit_yaml(small_kb_copy / "conditions/benign.yaml", lambda d: d.update(sources=[]))
    with pytest.raises(KnowledgeError) as error:
        load(small_kb_copy)
    assert (error.value.file, error.value.entry, error.value.field) == (
        "conditions/benign.yaml",
        "benign",
        "sources",
    )


def test_a_condition_citing_an_unknown_source(small_kb_copy: Path) -> None:
    edit_yaml(small_kb_copy / "conditions/benign.yaml", lambda d: d.update(sources=["Nobody1999"]))
    with pytest.raises(KnowledgeError, match="unknown source 'Nobody1999'"):
        load(small_kb_copy)


def test_a_duplicate_finding_id(small_kb_copy: Path) -> None:
    edit_yaml(small_kb_copy / "findings/test.yaml", lambda d: d[2].update(question="a"))
    with pytest.raises(KnowledgeError, match="duplicate question id"):
        load(small_kb_copy)


def test_a_duplicate_source_id(small_kb_copy: Path) -> None:
    (small_kb_copy / "sources/more.yaml").write_text(
        (small_kb_copy / "sources/test.yaml").read_text()
    )
    with pytest.raises(KnowledgeError) as error:
        load(small_kb_copy)
    assert error.value.entry == "Test2024"
    assert "duplicate source id" in str(error.value)


def test_a_number_with_neither_source_nor_estimate(small_kb_copy: Path) -> None:
    edit_yaml(
        small_kb_copy / "findings/test.yaml",
        lambda d: d[0]["likelihoods"].update(serious={"p": 0.5}),
    )
    with pytest.raises(KnowledgeError, match="needs a 'source', or 'estimate: true'"):
        load(small_kb_copy)


def test_a_red_flag_on_an_unknown_finding(small_kb_copy: Path) -> None:
    edit_yaml(small_kb_copy / "red_flags.yaml", lambda d: d[1].update(when="zzz"))
    with pytest.raises(KnowledgeError) as error:
        load(small_kb_copy)
    assert (error.value.file, error.value.entry) == ("red_flags.yaml", "b_alone")


def test_a_red_flag_explained_away_by_an_unknown_finding(small_kb_copy: Path) -> None:
    edit_yaml(small_kb_copy / "red_flags.yaml", lambda d: d[1].update(unless=["zzz"]))
    with pytest.raises(KnowledgeError, match="unknown finding 'zzz'") as error:
        load(small_kb_copy)
    assert (error.value.entry, error.value.field) == ("b_alone", "unless")


def test_a_question_to_ask_before_stopping_that_does_not_exist(small_kb_copy: Path) -> None:
    edit_yaml(small_kb_copy / "triage.yaml", lambda d: d.update(before_stopping=["a", "zzz"]))
    with pytest.raises(KnowledgeError, match="unknown question 'zzz'") as error:
        load(small_kb_copy)
    assert (error.value.file, error.value.field) == ("triage.yaml", "before_stopping[1]")


def test_a_red_flag_without_sources(small_kb_copy: Path) -> None:
    edit_yaml(small_kb_copy / "red_flags.yaml", lambda d: d[1].update(sources=[]))
    with pytest.raises(KnowledgeError) as error:
        load(small_kb_copy)
    assert error.value.field == "sources"


def test_a_condition_without_a_prior(small_kb_copy: Path) -> None:
    edit_yaml(small_kb_copy / "priors.yaml", lambda d: d["priors"].pop("middling"))
    with pytest.raises(
        KnowledgeError, match=r"priors\.yaml, entry 'middling': this condition has no prior"
    ):
        load(small_kb_copy)


def test_broken_yaml_names_the_line(small_kb_copy: Path) -> None:
    (small_kb_copy / "advice.yaml").write_text("- id: x\n  kind: [unclosed\n")
    with pytest.raises(KnowledgeError, match=r"advice.yaml: this is not valid YAML at line \d"):
        load(small_kb_copy)


def test_a_missing_file(small_kb_copy: Path) -> None:
    (small_kb_copy / "triage.yaml").unlink()
    with pytest.raises(KnowledgeError, match=r"triage\.yaml: the file is missing"):
        load(small_kb_copy)


def test_a_condition_file_whose_id_differs_from_its_name(small_kb_copy: Path) -> None:
    edit_yaml(small_kb_copy / "conditions/benign.yaml", lambda d: d.update(id="kindly"))
    with pytest.raises(KnowledgeError, match="must match the file name 'benign'"):
        load(small_kb_copy)


def test_an_unknown_field_is_refused(small_kb_copy: Path) -> None:
    edit_yaml(small_kb_copy / "conditions/benign.yaml", lambda d: d.update(colour="blue"))
    with pytest.raises(KnowledgeError) as error:
        load(small_kb_copy)
    assert error.value.field == "colour"


def test_single_choice_options_are_normalised_per_condition(small_kb) -> None:
    rows = [small_kb.finding_index[f] for f in ("onset_sudden", "onset_gradual")]
    assert small_kb.probability[rows].sum(axis=0) == pytest.approx([1.0, 1.0, 1.0])
    # serious: 0.9 and 0.3 written, so 0.75 and 0.25 after normalising
    serious = small_kb.condition_index["serious"]
    assert small_kb.probability[rows[0], serious] == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("known_pain", "message", "field"),
    [
        (
            {"finding": "zzz", "conditions": ["middling"], "sources": ["Test2024"]},
            "unknown finding 'zzz'",
            "known_pain.finding",
        ),
        (
            {"finding": "b", "conditions": ["middling", "zzz"], "sources": ["Test2024"]},
            "unknown condition 'zzz'",
            "known_pain.conditions[1]",
        ),
        (
            {"finding": "b", "conditions": ["middling"], "sources": ["Nobody1999"]},
            "unknown source 'Nobody1999'",
            "known_pain.sources",
        ),
    ],
)
def test_a_known_pain_policy_must_name_real_findings_conditions_and_sources(
    small_kb_copy: Path, known_pain: dict, message: str, field: str
) -> None:
    edit_yaml(small_kb_copy / "triage.yaml", lambda d: d.update(known_pain=known_pain))
    with pytest.raises(KnowledgeError, match=message) as error:
        load(small_kb_copy)
    assert (error.value.file, error.value.field) == ("triage.yaml", field)


def test_a_prior_multiplier_that_is_not_a_number_is_refused(small_kb_copy: Path) -> None:
    # YAML reads .nan and .inf as numbers; either would make every posterior NaN.
    for value in (".nan", ".inf"):
        path = small_kb_copy / "priors.yaml"
        path.write_text(path.read_text().replace('{"70+": 2.0}', '{"70+": ' + value + "}"))
        with pytest.raises(KnowledgeError) as error:
            load(small_kb_copy)
        assert error.value.file == "priors.yaml"
        assert error.value.field == "priors.serious.age.70+"
        assert "finite number" in str(error.value)
        path.write_text(path.read_text().replace('{"70+": ' + value + "}", '{"70+": 2.0}'))


def test_a_question_that_could_never_apply_is_refused(small_kb_copy: Path) -> None:
    edit_yaml(
        small_kb_copy / "findings/test.yaml",
        lambda d: next(q for q in d if q["question"] == "pregnant")["applies"].update(
            min_age=60, max_age=20
        ),
    )
    with pytest.raises(KnowledgeError, match="could never apply") as error:
        load(small_kb_copy)
    assert error.value.entry == "pregnant"


def test_a_question_that_requires_its_own_finding_is_refused(small_kb_copy: Path) -> None:
    edit_yaml(
        small_kb_copy / "findings/test.yaml",
        lambda d: next(q for q in d if q["question"] == "pregnant")["applies"].update(
            requires=["pregnant"]
        ),
    )
    with pytest.raises(KnowledgeError, match="requires its own finding") as error:
        load(small_kb_copy)
    assert error.value.field == "applies.requires"
