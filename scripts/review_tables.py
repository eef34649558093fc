"""Tables of the story-only review for docs/validation.md (used by scripts/validation_docs.py):
each reviewer's figures beside midback's on the same stories."""

from __future__ import annotations

from collections import Counter

from midback.knowledge import KnowledgeBase
from midback.validation.benchmark import BenchmarkReport
from midback.validation.review import (
    REVIEW_DIR,
    Triager,
    agreement,
    load_key,
    load_review,
    median_triager,
    review_triager,
    triage_figures,
)


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def story_review(
    kb: KnowledgeBase, vignettes: list, interview: BenchmarkReport, full: BenchmarkReport
) -> dict[str, str]:
    """Each packet of the story-only review: every reviewer's figures beside midback's on the
    same stories, and the known emergency misses story by story."""
    by_id = {v.id: v for v in vignettes}
    midback = {
        "midback, interview": Triager(
            "midback, interview",
            {x.vignette.id: x.triage for x in interview.outcomes},
            {x.vignette.id: tuple(c for c, _ in x.ranked[:3]) for x in interview.outcomes},
        ),
        "midback, full": Triager(
            "midback, full",
            {x.vignette.id: x.triage for x in full.outcomes},
            {x.vignette.id: tuple(c for c, _ in x.ranked[:3]) for x in full.outcomes},
        ),
    }
    sections = []
    for key_path in sorted(REVIEW_DIR.glob("*/key.yaml")):
        key = load_key(key_path, set(by_id))
        reviews = [
            load_review(kb, path, key)
            for path in sorted(key_path.parent.glob("*.yaml"))
            if path.name != "key.yaml"
        ]
        if not reviews:
            sections.append(f"Packet {key.packet}: no review returned yet.")
            continue
        reviewers = [review_triager(r, key) for r in reviews]
        median = median_triager("reviewers' median", reviewers)
        chosen = [by_id[vid] for vid in key.stories.values()]
        kinds = Counter(r.reviewer.kind for r in reviews)
        who = "; ".join(
            f"{r.reviewer.id} ({r.reviewer.kind}): {r.reviewer.description}" for r in reviews
        )
        lines = [
            f"### Packet {key.packet} ({len(chosen)} stories, made {key.created})",
            "",
            f"Stories: {key.selection}. Reviewers ({', '.join(f'{n} {k}' for k, n in kinds.items())}): "
            f"{who}.",
            "",
        ]
        subsets = {name: [by_id[vid] for vid in ids] for name, ids in key.groups.items()}
        for name, subset in subsets.items():
            if not subset:
                continue
            lines += [
                f"**{name}** ({len(subset)} stories):",
                "",
                "| triager | exact | safe | emergencies sent to emergency care "
                "| non-emergencies sent to emergency care | self-care sent to 24 h or above "
                "| top-1 | top-3 |",
                "|---|---|---|---|---|---|---|---|",
            ]
            for triager in [*reviewers, median, *midback.values()]:
                f = triage_figures(triager, subset)
                causes = (
                    ("-", "-")
                    if f.top1 is None or f.top3 is None
                    else (pct(f.top1 / f.stories), pct(f.top3 / f.stories))
                )
                lines.append(
                    f"| {triager.name} | {pct(f.exact / f.stories)} | {pct(f.safe / f.stories)} "
                    f"| {f.emergencies_called} of {f.emergencies} "
                    f"| {f.non_emergencies_called} of {f.non_emergencies} "
                    f"| {f.self_care_24h_or_above} of {f.self_care} | {causes[0]} | {causes[1]} |"
                )
            lines.append("")
        pairs = [
            f"{a.name} and {b.name} {agreement(a, b):.0%}"
            for i, a in enumerate(reviewers)
            for b in reviewers[i + 1 :]
        ]
        with_midback = [
            f"{r.name} and midback (interview) {agreement(r, midback['midback, interview']):.0%}"
            for r in reviewers
        ]
        lines += [
            "Same level chosen (all stories of the packet): "
            + "; ".join(pairs + with_midback)
            + ".",
            "",
            "The known emergency misses, story by story:",
            "",
            "| vignette | gold | "
            + " | ".join(r.name for r in reviewers)
            + " | midback, interview | midback, full |",
            "|---|---|" + "---|" * (len(reviewers) + 2),
        ]
        for v in subsets.get("known emergency misses", []):
            given = " | ".join(r.levels[v.id].value for r in reviewers)
            lines.append(
                f"| {v.id} | {v.gold.triage.value} | {given} "
                f"| {midback['midback, interview'].levels[v.id].value} "
                f"| {midback['midback, full'].levels[v.id].value} |"
            )
        asked = midback["midback, interview"]
        for name, subset in subsets.items():
            below = [v.id for v in subset if asked.levels[v.id] < median.levels[v.id]]
            above = [v.id for v in subset if asked.levels[v.id] > median.levels[v.id]]
            lines += [
                "",
                f"{name.capitalize()}: midback (interview) chose a less urgent level than the "
                f"reviewers' median for {len(below)} of {len(subset)} stories"
                + (f" ({', '.join(below)})" if below and len(below) <= 10 else "")
                + f", a more urgent one for {len(above)}.",
            ]
        sections.append("\n".join(lines))
    return {"story_review": "\n\n".join(sections) or "No packet has been made yet."}
