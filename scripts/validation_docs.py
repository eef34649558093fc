"""Regenerate docs/validation.md from the vignette benchmark (never edit its figures by hand).

The prose lives in scripts/templates/validation.md.j2; this script fills in the figures, and
scripts/review_tables.py renders the story-only review.

python scripts/validation_docs.py            # rewrite docs/validation.md and the README figures
python scripts/validation_docs.py --check    # exit 1 if either is out of date (scripts/check)
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from review_tables import pct, story_review

from midback.domain import TriageLevel
from midback.knowledge import KnowledgeBase, load_knowledge
from midback.validation import Vignette, load_vignettes, run_benchmark
from midback.validation.benchmark import SET_BY, BenchmarkReport, VignetteOutcome
from midback.validation.case_mix import ranking_figures
from midback.validation.consistency import nested_pairs
from midback.validation.precision import wilson_interval

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    undefined=StrictUndefined,
    trim_blocks=True,
    keep_trailing_newline=True,
    autoescape=False,
)
TARGETS = {"top1": 0.80, "top3": 0.95, "exact_triage": 0.85, "safe_triage": 1.0}


def headline(reports: dict[str, BenchmarkReport]) -> str:
    names = list(reports)
    lines = ["| measure | target | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    figures = {name: report.figures() for name, report in reports.items()}

    def row(label: str, target: str, key: str, fmt=pct) -> None:
        lines.append(
            f"| {label} | {target} | " + " | ".join(fmt(figures[n][key]) for n in names) + " |"
        )

    row("vignettes", "", "vignettes", str)
    row("top-1 accuracy (gold condition ranked first)", ">= 80%", "top1")
    row("top-1 counting acceptable alternatives", "", "top1_including_acceptable")
    row("top-3 accuracy", ">= 95%", "top3")
    row("exact triage", ">= 85%", "exact_triage")
    row("safe triage", "100%", "safe_triage")
    row("emergency vignettes triaged below emergency_department", "0", "emergencies_missed", str)
    row(
        "self-care vignettes sent to see_doctor_24h or above",
        "<= 10%",
        "self_care_sent_24h_or_above",
    )
    row(
        "questions asked, median (interview mode)",
        "<= 15",
        "questions_median",
        lambda v: "-" if v is None else f"{v:g}",
    )
    row(
        "questions asked, 90th percentile",
        "",
        "questions_p90",
        lambda v: "-" if v is None else f"{v:g}",
    )
    return "\n".join(lines)


PRECISION_MEASURES: list[tuple[str, str, str]] = [
    # (label, outcome attribute, the published figure to set it against)
    ("top-1 accuracy", "top1", "34% (symptom checkers, Semigran 2015)"),
    ("top-3 accuracy", "top3", "82.1% (GPs), 70.5% (best app) (Gilbert 2020)"),
    ("exact triage", "exact_triage", "57% appropriate (symptom checkers, Semigran 2015)"),
    ("safe triage", "safe_triage", "97% (GPs, Gilbert 2020)"),
]


def precision(reports: dict[str, BenchmarkReport]) -> str:
    """Each headline share with its 95% Wilson interval, beside the published comparison."""
    names = list(reports)
    lines = [
        "| measure | " + " | ".join(names) + " | published |",
        "|---|" + "---|" * (len(names) + 1),
    ]

    def cell(outcomes: list[VignetteOutcome], attribute: str) -> str:
        hits = sum(bool(getattr(x, attribute)) for x in outcomes)
        low, high = wilson_interval(hits, len(outcomes))
        return f"{hits / len(outcomes):.1%} ({low:.1%} to {high:.1%})"

    for label, attribute, published in PRECISION_MEASURES:
        cells = " | ".join(cell(reports[n].outcomes, attribute) for n in names)
        lines.append(f"| {label} | {cells} | {published} |")
    return "\n".join(lines)


def by_level(report: BenchmarkReport) -> str:
    lines = [
        "| gold level | vignettes | exact | under-triage | over-triage |",
        "|---|---|---|---|---|",
    ]
    for level, row in report.figures()["by_gold_level"].items():
        lines.append(
            f"| {level} | {row['vignettes']} | {pct(row['exact'])} | "
            f"{pct(row['under_triage'])} | {pct(row['over_triage'])} |"
        )
    return "\n".join(lines)


def set_by(reports: dict[str, BenchmarkReport]) -> str:
    """Per split, what set the level of the vignettes triaged above or below gold."""
    names = list(reports)
    figures = {name: reports[name].figures() for name in names}
    lines = [
        "| set by | " + " | ".join(f"{n}: over / under" for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for kind, label in SET_BY.items():
        cells = [
            f"{figures[n]['over_triage_set_by'][kind]} / {figures[n]['under_triage_set_by'][kind]}"
            for n in names
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append(
        '| median share of questions answered "don\'t know" | '
        + " | ".join(pct(figures[n]["dont_know_median"]) for n in names)
        + " |"
    )
    return "\n".join(lines)


STOP_REASONS = {
    "emergency": "an emergency red flag fired",
    "settled": "the leading cause was settled",
    "no_informative_question": "no question was informative enough",
    "question_limit": "the question limit",
}


def by_stop_reason(reports: dict[str, BenchmarkReport]) -> str:
    """Per split, top-1 and top-3 by why the interview stopped, in interview and full mode
    for the same vignettes: where the interview loses accuracy against all the facts."""
    lines = [
        "| split | the interview stopped because | vignettes | top-1 interview / full "
        "| top-3 interview / full |",
        "|---|---|---|---|---|",
    ]
    for split in dict.fromkeys(name.split(", ")[0] for name in reports):
        interviewed = reports[f"{split}, interview"].outcomes
        full = {o.vignette.id: o for o in reports[f"{split}, full"].outcomes}
        for reason, label in STOP_REASONS.items():
            group = [o for o in interviewed if o.stop_reason == reason]
            if not group:
                continue
            matched = [full[o.vignette.id] for o in group]
            lines.append(
                f"| {split} | {label} | {len(group)} | "
                f"{sum(o.top1 for o in group)} / {sum(o.top1 for o in matched)} | "
                f"{sum(o.top3 for o in group)} / {sum(o.top3 for o in matched)} |"
            )
    return "\n".join(lines)


def per_condition(report: BenchmarkReport) -> str:
    lines = [
        "| condition | vignettes | top-1 | top-3 | exact triage | safe triage |",
        "|---|---|---|---|---|---|",
    ]
    for condition, row in report.per_condition().items():
        lines.append(
            f"| {condition} | {row['vignettes']} | {pct(row['top1'])} | "
            f"{pct(row['top3'])} | {pct(row['exact_triage'])} | {pct(row['safe_triage'])} |"
        )
    return "\n".join(lines)


def failures(report: BenchmarkReport) -> str:
    lines = [
        "| vignette | split | gold | ranked first | gold triage | midback triage | set by |"
        ' "don\'t know" |',
        "|---|---|---|---|---|---|---|---|",
    ]
    for x in report.failures():
        lines.append(
            f"| {x.vignette.id} | {x.vignette.split} | {x.vignette.gold.condition} "
            f"(rank {x.gold_rank}) | {x.ranked[0][0]} ({x.ranked[0][1]:.0%}) | "
            f"{x.vignette.gold.triage.value} | {x.triage.value} | "
            f"{x.set_by.replace('_', ' ')} | {x.dont_know:.0%} |"
        )
    return "\n".join(lines)


def known_misses(kb: KnowledgeBase, interview: BenchmarkReport, full: BenchmarkReport) -> str:
    """Each emergency vignette still triaged below the emergency department, with everything
    its story gives, so that a reader can judge whether the story supports an emergency."""
    full_by_id = {x.vignette.id: x for x in full.outcomes}
    lines = [
        "| vignette | split | age, sex | gold | midback, interview | midback, full "
        "| what the story says (findings present) |",
        "|---|---|---|---|---|---|---|",
    ]
    missed = [x for x in interview.outcomes if x.emergency_missed]
    missed += [
        full_by_id[x.vignette.id]
        for x in full.outcomes
        if x.emergency_missed and not any(m.vignette.id == x.vignette.id for m in missed)
    ]
    for x in sorted(missed, key=lambda o: (o.vignette.split, o.vignette.id)):
        v = x.vignette
        asked = next(o for o in interview.outcomes if o.vignette.id == v.id)
        said = "; ".join(kb.finding(f).label for f in v.present)
        lines.append(
            f"| {v.id} | {v.split} | {v.age}, {v.sex.value} | {v.gold.condition}, "
            f"{v.gold.triage.value} | {asked.triage.value} ({asked.questions} questions, "
            f'{asked.dont_know:.0%} "don\'t know") | {full_by_id[v.id].triage.value} | {said} |'
        )
    return "\n".join(lines)


def gold_consistency(kb: KnowledgeBase, vignettes: list[Vignette]) -> str:
    """Emergency vignettes paired with a vignette of the same condition and sex that states no
    less but has a gold level below the emergency department, with what the second adds."""
    pairs = nested_pairs(vignettes)
    if not pairs:
        return "None: no vignette states everything an emergency vignette of its condition states."
    lines = [
        "| emergency vignette (gold) | age | states no less (gold) | age | what it adds |",
        "|---|---|---|---|---|",
    ]
    for pair in pairs:
        e, o = pair.emergency, pair.other
        adds = [kb.finding(f).label for f in pair.adds_present]
        adds += [f"not: {kb.finding(f).label}" for f in pair.adds_absent]
        lines.append(
            f"| {e.id} ({e.gold.triage.value}) | {e.age} | {o.id} ({o.gold.triage.value}) "
            f"| {o.age} | {'; '.join(adds) or 'nothing'} |"
        )
    return "\n".join(lines)


def sensitivity(reports: dict[str, BenchmarkReport], saying_no: dict[str, BenchmarkReport]) -> str:
    """Interview-mode figures with the method's patient ("don't know" to what the story does
    not say) beside a patient who says "no" to every such yes/no question, and the vignettes
    whose result crosses a line between the two."""
    columns: dict[str, BenchmarkReport] = {}
    for name, report in saying_no.items():
        columns[f'{name}, "don\'t know"'] = reports[f"{name}, interview"]
        columns[f'{name}, "no"'] = report
    table = headline(columns)
    changed: list[str] = []
    for name, report in saying_no.items():
        method = {x.vignette.id: x for x in reports[f"{name}, interview"].outcomes}
        for x in report.outcomes:
            before = method[x.vignette.id]
            if x.emergency_missed != before.emergency_missed:
                changed.append(
                    f"- {x.vignette.id} ({name}; gold {x.vignette.gold.triage.value}): "
                    f'{before.triage.value} with "don\'t know", {x.triage.value} with "no"'
                )
    listing = "\n".join(changed) if changed else "None."
    return f"{table}\n\nEmergencies missed with one patient and not the other:\n\n{listing}"


def prior_cost(kb: KnowledgeBase, splits: dict[str, list[Vignette]]) -> str:
    """Full-mode top-1 and top-3 for each split, with the population priors and a flat prior."""
    lines = [
        "| split | vignettes | top-1, population priors | top-1, flat prior "
        "| top-3, population priors | top-3, flat prior |",
        "|---|---|---|---|---|---|",
    ]
    for name, chosen in splits.items():
        population = ranking_figures(kb, chosen, flat=False)
        flat = ranking_figures(kb, chosen, flat=True)
        lines.append(
            f"| {name} | {population.vignettes} | {pct(population.top1)} | {pct(flat.top1)} "
            f"| {pct(population.top3)} | {pct(flat.top3)} |"
        )
    return "\n".join(lines)


def main(check: bool = False) -> int:
    """Write docs/validation.md and the README's figures; with check, only say whether the
    files on disk are what the benchmark gives now (1 if not)."""
    kb = load_knowledge()
    vignettes = load_vignettes(kb)
    test = [v for v in vignettes if v.split == "test"]
    tune = [v for v in vignettes if v.split == "tune"]
    holdout = [v for v in vignettes if v.split == "holdout"]
    splits = (
        {"holdout": holdout, "test": test, "tune": tune}
        if holdout
        else {"test": test, "tune": tune}
    )
    reports = {
        f"{name}, {mode}": run_benchmark(kb, chosen, mode)
        for mode in ("interview", "full")
        for name, chosen in splits.items()
    }
    levels = Counter(v.gold.triage for v in vignettes)
    mix = ", ".join(f"{levels[level]} {level.value}" for level in reversed(TriageLevel))
    everything = run_benchmark(kb, vignettes, "interview")
    confusions = "\n".join(f"- {g} ranked below {s}: {n}" for g, s, n in everything.confusions())
    saying_no = {
        name: run_benchmark(kb, chosen, "interview", "no") for name, chosen in splits.items()
    }
    full_all = run_benchmark(kb, vignettes, "full")
    text = TEMPLATES.get_template("validation.md.j2").render(
        kb_version=kb.version,
        n_all=len(vignettes),
        n_holdout=len(holdout),
        n_test=len(test),
        n_tune=len(tune),
        mix=mix,
        headline=headline(reports),
        precision=precision(
            {n: r for n, r in reports.items() if n.endswith("interview") and r.outcomes}
        ),
        level_split="holdout" if holdout else "test",
        levels_split=by_level(reports["holdout, interview" if holdout else "test, interview"]),
        levels_all=by_level(everything),
        set_by=set_by({n: r for n, r in reports.items() if n.endswith("interview")}),
        by_stop_reason=by_stop_reason(reports),
        per_condition=per_condition(everything),
        confusions=confusions or "None.",
        failures=failures(everything),
        known_misses=known_misses(kb, everything, full_all),
        gold_consistency=gold_consistency(kb, vignettes),
        misses_in_pairs=", ".join(
            sorted(
                {p.emergency.id for p in nested_pairs(vignettes)}
                & {
                    x.vignette.id
                    for x in [*everything.outcomes, *full_all.outcomes]
                    if x.emergency_missed
                }
            )
        )
        or "none",
        sensitivity=sensitivity(reports, saying_no),
        prior_cost=prior_cost(kb, splits),
        **story_review(kb, vignettes, everything, full_all),
    )
    pages = {
        ROOT / "docs" / "validation.md": text,
        ROOT / "README.md": readme_with(headline(reports), suite_sentence(vignettes)),
    }
    if check:
        stale = [p for p, new in pages.items() if p.read_text(encoding="utf-8") != new]
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run python scripts/validation_docs.py")
        if not stale:
            print("docs/validation.md and the README's figures are up to date")
        return 1 if stale else 0
    for path, new in pages.items():
        path.write_text(new, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


def suite_sentence(vignettes: list) -> str:
    """The README's one-line count of the suite by split."""
    count = Counter(v.split for v in vignettes)
    return (
        f"The suite has {len(vignettes)} vignettes: {count['tune']} tune, {count['test']} test"
        f" and {count['holdout']} holdout."
    )


def _replace_between(text: str, name: str, content: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    return f"{before}{start}\n{content}\n{end}{after}"


def readme_with(table: str, suite: str) -> str:
    """The README with the suite's size and the headline table between their markers."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    text = _replace_between(text, "suite", suite)
    return _replace_between(text, "validation", table)


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv[1:]))
