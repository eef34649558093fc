"""Add to the vignettes the facts their stories state that independent coders agree on.

    python scripts/recode_vignettes.py scripts/recoding/2026-11-24          # report only
    python scripts/recode_vignettes.py scripts/recoding/2026-11-24 --apply  # edit the files

DIR holds key.yaml (`stories`: code -> vignette id) and the coders' files (coder-*.yaml, each
`stories`: code -> {present: [...], absent: [...]}), written blind: the coders saw the vocabulary
and each story (age, sex, words) under its code, never its id, coding, gold or midback's answers.
The rule, fixed before any coding was seen: a finding is added to a vignette's `present` (or
`absent`) when every coder of that story coded it so, the vignette does not already say it, and
the vignette stays valid with it (no second option of a single-choice question, nothing that
contradicts what the vignette says). Nothing is ever removed; the story, complaint and gold
answers are never touched.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from midback.domain import AnswerState, Evidence
from midback.engine.evidence import EvidenceError, check_evidence
from midback.knowledge import KnowledgeBase, load_knowledge
from midback.validation import Vignette, load_vignettes
from midback.validation.vignettes import VIGNETTE_DIR

STATES = {"present": AnswerState.PRESENT, "absent": AnswerState.ABSENT}


def agreed(directory: Path) -> tuple[dict[str, str], dict[str, dict[str, set[str]]]]:
    """The key, and for each vignette id the findings every coder of its story coded, by field."""
    key = yaml.safe_load((directory / "key.yaml").read_text(encoding="utf-8"))["stories"]
    codings: dict[str, list[dict[str, set[str]]]] = defaultdict(list)
    for path in sorted(directory.glob("coder-*.yaml")):
        stories = yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]
        for code, coding in stories.items():
            if code not in key:
                raise SystemExit(f"{path.name}: story '{code}' is not in the key")
            coding = coding or {}
            codings[code].append({f: set(coding.get(f) or []) for f in STATES})
    thin = [code for code in key if len(codings[code]) < 2]
    if thin:
        raise SystemExit(f"{len(thin)} stories have fewer than two coders ({', '.join(thin[:5])})")
    return key, {
        key[code]: {f: set.intersection(*(c[f] for c in coders)) for f in STATES}
        for code, coders in codings.items()
    }


def additions(
    vignette: Vignette, agreed: dict[str, set[str]], kb: KnowledgeBase
) -> dict[str, list[str]]:
    """The agreed findings the vignette can take, in a fixed order, each checked in turn."""
    evidence = list(vignette.evidence)
    said = {e.finding for e in evidence}
    added: dict[str, list[str]] = {f: [] for f in STATES}
    for field, state in STATES.items():
        for finding in sorted(agreed[field] - said):
            if finding not in kb.finding_index:
                continue
            candidate = [*evidence, Evidence(finding, state)]
            try:
                check_evidence(kb, vignette.patient, candidate)
            except EvidenceError:
                continue
            evidence = candidate
            said.add(finding)
            added[field].append(finding)
    return added


def edit(text: str, vignette_id: str, added: dict[str, list[str]]) -> str:
    """Append the findings to the vignette's flow lists, keeping the file's layout."""
    start = text.index(f"- id: {vignette_id}\n")
    end = text.find("\n- id: ", start + 1)
    end = len(text) if end == -1 else end
    block = text[start:end]
    for field, findings in added.items():
        if not findings:
            continue
        match = re.search(rf"^  {field}: \[([^\]]*)\]", block, flags=re.M)
        if match is None:
            raise SystemExit(f"{vignette_id}: no '{field}: [...]' list to extend")
        inner = match.group(1)
        joined = ", ".join(findings)
        new_inner = f"{inner}, {joined}" if inner.strip() else joined
        block = block[: match.start(1)] + new_inner + block[match.end(1) :]
    return text[:start] + block + text[end:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--apply", action="store_true", help="edit the vignette files")
    args = parser.parse_args()

    kb = load_knowledge()
    vignettes = {v.id: v for v in load_vignettes(kb)}
    _, agreement = agreed(args.directory)
    per_finding: Counter[str] = Counter()
    per_split: Counter[str] = Counter()
    changes: dict[str, dict[str, list[str]]] = {}
    for vid, coded in agreement.items():
        added = additions(vignettes[vid], coded, kb)
        if any(added.values()):
            changes[vid] = added
            per_split[vignettes[vid].split] += 1
            for field, findings in added.items():
                per_finding.update(f"{field} {f}" for f in findings)
    total = sum(per_finding.values())
    print(
        f"{total} findings added to {len(changes)} of {len(agreement)} vignettes; by split: "
        + ", ".join(f"{s} {n}" for s, n in sorted(per_split.items()))
    )
    for item, n in per_finding.most_common():
        print(f"  {n:4d}  {item}")
    if args.apply:
        by_file: dict[str, list[str]] = defaultdict(list)
        for vid in changes:
            by_file[vignettes[vid].file].append(vid)
        for name, ids in sorted(by_file.items()):
            path = VIGNETTE_DIR / name
            text = path.read_text(encoding="utf-8")
            for vid in ids:
                text = edit(text, vid, changes[vid])
            path.write_text(text, encoding="utf-8")
        load_vignettes(kb)  # every edited file must still load and validate
        (args.directory / "added.yaml").write_text(
            "# Findings added by scripts/recode_vignettes.py under the agreement rule.\n"
            + yaml.safe_dump(
                {vid: {f: v for f, v in c.items() if v} for vid, c in sorted(changes.items())},
                sort_keys=False,
            ),
            encoding="utf-8",
        )
        print(f"edited {len(by_file)} files; the list is in {args.directory / 'added.yaml'}")


if __name__ == "__main__":
    main()
