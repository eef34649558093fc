"""Make a story-only review packet: a key kept by the project and one packet per reviewer.

    python scripts/review_packet.py NAME --reviewers 3 --out DIR

The packet holds the locked test split and every known emergency miss (floors.yaml), each as
age, sex and story under a code. The key (code -> vignette id) is written to
midback/validation/reviews/NAME/key.yaml; the packets, one per reviewer with the stories in an
order of its own, to DIR/NAME-reviewer-K.md. Send each reviewer a packet and nothing else; put
the answers they return in midback/validation/reviews/NAME/ and run scripts/validation_docs.py.
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

import yaml

from midback.knowledge import load_knowledge
from midback.validation import load_vignettes
from midback.validation.review import make_key, render_packet

ROOT = Path(__file__).resolve().parent.parent
REVIEWS = ROOT / "midback" / "validation" / "reviews"
SELECTION = (
    "every vignette of the locked test split, and every emergency vignette that midback triaged "
    "below the emergency department when the packet was made (known_emergency_misses)"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="packet name, e.g. 2026-11-test")
    parser.add_argument("--reviewers", type=int, default=3)
    parser.add_argument("--out", type=Path, required=True, help="where to write the packets")
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args()

    kb = load_knowledge()
    vignettes = load_vignettes(kb)
    floors = yaml.safe_load((ROOT / "midback/validation/floors.yaml").read_text())
    misses = set(floors["known_emergency_misses"])
    chosen = [v for v in vignettes if v.split == "test" or v.id in misses]
    key_path = REVIEWS / args.name / "key.yaml"
    if key_path.exists():
        raise SystemExit(f"{key_path} exists: a packet's key is never rewritten")
    groups = {
        "test split": tuple(v.id for v in chosen if v.split == "test"),
        "known emergency misses": tuple(v.id for v in chosen if v.id in misses),
    }
    key = make_key(
        args.name, datetime.date.today().isoformat(), SELECTION, chosen, args.seed, groups
    )
    key_path.parent.mkdir(parents=True)
    key_path.write_text(
        "# Story-only review key (see scripts/review_packet.py); do not send to reviewers.\n"
        + yaml.safe_dump(key.model_dump(), sort_keys=False, width=100),
        encoding="utf-8",
    )
    by_id = {v.id: v for v in vignettes}
    args.out.mkdir(parents=True, exist_ok=True)
    for k in range(1, args.reviewers + 1):
        path = args.out / f"{args.name}-reviewer-{k}.md"
        path.write_text(render_packet(kb, key, by_id, order_seed=k), encoding="utf-8")
        print(f"wrote {path}")
    print(f"wrote {key_path} ({len(key.stories)} stories)")


if __name__ == "__main__":
    main()
