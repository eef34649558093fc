"""Render a scripted terminal interview to docs/images/interview.svg for the README.

    python scripts/screenshot.py

The scripted person is a 34-year-old desk worker with a dull ache between the shoulder blades
and no warning signs; any question not in the script is answered "don't know".
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from midback.cli.interview import run_interview
from midback.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = {
    "chest_pain": "n",
    "onset": "3",
    "shortness_of_breath": "n",
    "fainting": "n",
    "leg_weakness": "n",
    "bladder_bowel_change": "n",
    "trauma": "3",
    "fever": "n",
    "pregnant": "n",
    "location": "1",
    "character": "3",
    "desk_work": "y",
    "eased_by_position_change": "y",
    "worse_with_sitting": "y",
    "duration": "2",
    "night_pain": "n",
    "severity": "4",
    "worse_with_movement": "n",
    "lifting_trigger": "n",
    "widespread_pain": "n",
    "arm_numbness": "n",
    "cancer_history": "n",
    "seen_recently_not_better": "n",
}


def main() -> None:
    kb = load_knowledge()
    console = Console(
        record=True, width=100, force_terminal=True, color_system="truecolor", highlight=False
    )
    # A question is recognised by the start of its text, which a narrow terminal does not wrap.
    asks = {question.ask[:40]: question.id for question in kb.questions}
    assert len(asks) == len(kb.questions), "two questions start alike: lengthen the prefix"
    opening = iter(["34", "f"])
    prompts = iter(range(200))

    def read(prompt: str) -> str:
        if next(prompts, None) is None:
            raise SystemExit("the scripted interview is not ending: check SCRIPT's answers")
        shown = console.export_text(clear=False)
        latest = max(asks, key=lambda ask: shown.rfind(ask))
        answer = next(opening, None) or (SCRIPT.get(asks[latest], "?") if latest in shown else "?")
        console.print(prompt + answer, markup=False)
        return answer

    run_interview(kb, console, read=read)
    target = ROOT / "docs" / "images" / "interview.svg"
    console.save_svg(str(target), title="midback assess")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
