"""Rendering engine results and knowledge-base listings for the terminal with rich."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from midback.engine.explain import describe
from midback.engine.result import AssessmentResult
from midback.knowledge.model import KnowledgeBase
from midback.knowledge.views import condition_view, finding_view
from midback.validation.benchmark import SET_BY, BenchmarkReport

EVIDENCE_WORDS = {
    "guideline_recommends": "recommended by guidelines",
    "weak": "weak evidence / consider",
    "insufficient": "not enough evidence",
    "recommended_against": "recommended against",
}


def bar(probability: float, width: int = 20) -> str:
    filled = round(probability * width)
    return "#" * filled + "." * (width - filled)


def result(console: Console, kb: KnowledgeBase, outcome: AssessmentResult) -> None:
    """The result screen: triage first, then causes with reasons, then advice."""
    level = outcome.triage.level
    text = kb.policy.levels[level]
    deciding = outcome.triage.deciding_reasons
    why = Text()
    for reason in deciding[:4]:
        why.append("- " + reason.text + "\n")
        if reason.findings:
            answers = ", ".join(kb.finding(f).label for f in reason.findings)
            why.append(f"  because of your answers: {answers}\n", style="italic")
    console.print(
        Panel(
            Group(Text(text.do_now + "\n"), why),
            title=f"[bold]{text.icon} {text.title.upper()}[/bold]",
            border_style=f"bold {text.colour}",
            title_align="left",
        )
    )

    table = Table(title="Most likely causes", show_lines=True, title_justify="left")
    table.add_column("Cause", style="bold", max_width=28)
    table.add_column("Chance", justify="right")
    table.add_column("Why", max_width=70)
    for condition in outcome.conditions:
        reasons = [describe(c) for c in condition.raised_by[:3]]
        reasons += [describe(c) for c in condition.lowered_by[:2]]
        table.add_row(
            condition.name,
            f"{condition.probability:.0%}\n{bar(condition.probability, 10)}",
            "\n".join(reasons) or "Mostly how common it is for someone like you.",
        )
    console.print(table)

    plan = outcome.guidance
    if plan.self_care:
        console.print("\n[bold]Self-care plan[/bold]")
        for item in plan.self_care:
            console.print(
                f"- {item.title or ''}: {item.text} [dim]({EVIDENCE_WORDS[item.evidence.value]})[/dim]"
            )
    if plan.treatments:
        console.print("\n[bold]What a doctor or therapist may offer[/bold]")
        for item in plan.treatments:
            console.print(f"- {item.text} [dim]({EVIDENCE_WORDS[item.evidence.value]})[/dim]")
    if plan.not_recommended:
        console.print("\n[bold]Not recommended[/bold]")
        for item in plan.not_recommended:
            console.print(f"- {item.text} [dim]({EVIDENCE_WORDS[item.evidence.value]})[/dim]")
    console.print("\n[bold]Get help sooner if[/bold]")
    for line in plan.safety_net:
        console.print(f"- {line}")
    console.print(Panel(plan.disclaimer, title="Not a diagnosis", border_style="dim"))
    console.print(f"[dim]Knowledge base {outcome.knowledge_base_version}[/dim]")


def findings_data(kb: KnowledgeBase) -> list[dict[str, Any]]:
    return [finding_view(kb, f) for question in kb.questions for f in question.findings]


def findings_table(console: Console, kb: KnowledgeBase) -> None:
    table = Table(title=f"{len(kb.findings)} findings in {len(kb.questions)} questions")
    table.add_column("Finding id", no_wrap=True)
    table.add_column("Question")
    table.add_column("Meaning")
    for question in kb.questions:
        for finding_id in question.findings:
            table.add_row(finding_id, question.id, kb.finding(finding_id).label)
    console.print(table)


def conditions_data(kb: KnowledgeBase) -> list[dict[str, Any]]:
    return [condition_view(kb, condition.id, full=False) for condition in kb.conditions]


def conditions_table(console: Console, kb: KnowledgeBase) -> None:
    table = Table(title=f"{len(kb.conditions)} conditions")
    table.add_column("Condition id", no_wrap=True)
    for column in ("Name", "Group", "Triage level", "ICD-10"):
        table.add_column(column)
    for c in kb.conditions:
        table.add_row(c.id, c.name, c.group, c.triage_level.value, c.icd10)
    console.print(table)


def coverage_report(console: Console, report: dict[str, Any]) -> None:
    lik = report["likelihoods"]
    console.print(f"[bold green]Knowledge base OK[/bold green]  version {report['version']}")
    rows = [
        (
            "Conditions",
            f"{report['conditions']} ({report['conditions_with_sources']} with sources, "
            f"{report['conditions_with_snomed_ct']} with SNOMED CT)",
        ),
        ("Findings", f"{report['findings']} in {report['questions']} questions"),
        (
            "Red-flag rules",
            f"{report['red_flag_rules']} ({report['red_flag_rules_with_sources']} with sources)",
        ),
        ("Advice items (shared)", str(report["advice_items"])),
        ("Sources", f"{report['sources']} ({report['sources_cited']} cited)"),
        (
            "Likelihoods given",
            f"{lik['explicit']} of {lik['total_cells']} cells "
            f"(the rest take the finding's background rate)",
        ),
        ("  with a sourced number", str(lik["sourced_numbers"])),
        ("  with a sourced description", str(lik["sourced_qualitative"])),
        ("  estimates (frequency scale)", str(lik["estimates"])),
        ("  share with a source", f"{lik['share_sourced']:.0%}"),
        (
            "  discriminating (LR >= 3 or <= 1/3)",
            f"{lik['discriminating']}, {lik['discriminating_share_sourced']:.0%} sourced",
        ),
        ("  red-flag findings sourced", f"{lik['red_flag_findings_share_sourced']:.0%}"),
        ("Priors that are estimates", f"{report['priors_estimated']} of {report['conditions']}"),
    ]
    table = Table(show_header=False)
    table.add_column(style="bold")
    table.add_column()
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def benchmark(console: Console, report: BenchmarkReport, split: str) -> None:
    f = report.figures()
    console.print(
        f"[bold]Vignette benchmark[/bold]: {f['vignettes']} vignettes, split {split}, "
        f"mode {f['mode']}" + (" (unstated yes/no answered no)" if f["unstated"] == "no" else "")
    )
    table = Table(show_header=True)
    for column in ("measure", "result", "target"):
        table.add_column(column)
    rows = [
        ("top-1 accuracy", _pct(f["top1"]), ">= 80%"),
        ("top-1 incl. acceptable alternatives", _pct(f["top1_including_acceptable"]), ""),
        ("top-3 accuracy", _pct(f["top3"]), ">= 95%"),
        ("exact triage", _pct(f["exact_triage"]), ">= 85%"),
        ("safe triage", _pct(f["safe_triage"]), "100%"),
        ("emergencies triaged below emergency_department", str(f["emergencies_missed"]), "0"),
        (
            "self-care sent to see_doctor_24h or above",
            _pct(f["self_care_sent_24h_or_above"]),
            "<= 10%",
        ),
        (
            "questions asked (median / 90th pct)",
            f"{f['questions_median']:g} / {f['questions_p90']:.1f}"
            if f["mode"] == "interview"
            else "-",
            "median <= 15",
        ),
    ]
    for row in rows:
        table.add_row(*row)
    console.print(table)
    levels = Table(title="Triage by gold level")
    for column in ("gold level", "vignettes", "exact", "under-triage", "over-triage"):
        levels.add_column(column)
    for level, row in f["by_gold_level"].items():
        levels.add_row(
            level,
            str(row["vignettes"]),
            _pct(row["exact"]),
            _pct(row["under_triage"]),
            _pct(row["over_triage"]),
        )
    console.print(levels)
    causes = Table(title="What set the level when it differed from gold")
    for column in ("set by", "over-triaged", "under-triaged"):
        causes.add_column(column)
    for kind, label in SET_BY.items():
        causes.add_row(
            label, str(f["over_triage_set_by"][kind]), str(f["under_triage_set_by"][kind])
        )
    console.print(causes)
    if f["dont_know_median"] is not None:
        console.print(
            f'Median share of questions answered "don\'t know": {f["dont_know_median"]:.0%}'
        )
    confusions = report.confusions()
    if confusions:
        console.print("[bold]Most frequent mix-ups[/bold] (gold -> ranked first)")
        for gold, said, count in confusions:
            console.print(f"  {gold} -> {said}: {count}")
    failures = report.failures()
    if failures:
        console.print(f"[bold]Vignettes not fully right[/bold] ({len(failures)})")
        for x in failures:
            console.print(
                f"  {x.vignette.id}: gold {x.vignette.gold.condition} "
                f"(rank {x.gold_rank}), said {x.ranked[0][0]} {x.ranked[0][1]:.0%}; "
                f"triage gold {x.vignette.gold.triage.value}, said {x.triage.value}"
            )
