"""Speed benchmark of the engine (a script, not a test): prints figures and can write docs.

    python scripts/bench_engine.py            # print
    python scripts/bench_engine.py --write    # also rewrite docs/benchmarks.md

Figures: one interview step (posterior + next question) at the real knowledge-base size, both
the numerical core and the whole Assessment step with its red-flag logic; one simulated
interview; 10,000 simulated interviews; `midback --help`; peak memory of a whole
`midback assess --answers` run.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from midback.domain import Patient, Sex
from midback.engine import Assessment
from midback.engine.inference import posterior_from_log_prior
from midback.engine.questions import best_question
from midback.knowledge import KnowledgeBase, load_knowledge

ROOT = Path(__file__).resolve().parent.parent


def simulated_answer(
    kb: KnowledgeBase, rng: np.random.Generator, condition: int, question_id: str
) -> str:
    """What a patient who truly has `condition` would answer, drawn from the likelihoods."""
    question = kb.question(question_id)
    rows = [kb.finding_index[f] for f in question.findings]
    if question.kind == "yes_no":
        return "yes" if rng.random() < kb.probability[rows[0], condition] else "no"
    weights = kb.probability[rows, condition]
    choice = question.findings[int(rng.choice(len(rows), p=weights / weights.sum()))]
    if question.kind == "number":
        low, high = kb.finding(choice).range or (0.0, 0.0)
        return str((low + high) / 2)
    return choice


def run_interview(kb: KnowledgeBase, rng: np.random.Generator) -> tuple[int, int]:
    sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
    patient = Patient(int(rng.integers(12, 90)), sex)
    prior = kb.prior(patient)
    condition = int(rng.choice(len(prior), p=prior))
    assessment = Assessment(kb, patient)
    while (step := assessment.next_question()) is not None:
        value = simulated_answer(kb, rng, condition, step.question.id)
        assessment.answer(
            step.question.id, float(value) if step.question.kind == "number" else value
        )
    return condition, assessment.questions_answered


def median_time(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(interviews: int, data: Path | None = None) -> dict[str, object]:
    kb = load_knowledge(data)
    rng = np.random.default_rng(2026)
    # A mid-interview state: a 58-year-old man after the screen and a few questions.
    assessment = Assessment(kb, Patient(58, Sex.MALE))
    for _ in range(12):
        step = assessment.next_question()
        if step is None:
            break
        assessment.answer(step.question.id, simulated_answer(kb, rng, 0, step.question.id))
    evidence = assessment.evidence
    log_prior = assessment._log_prior
    available = assessment.available()

    def core_step() -> None:
        p = posterior_from_log_prior(kb, log_prior, evidence)
        best_question(kb, p.probabilities, available)

    def full_step() -> None:
        assessment._changed()
        assessment.next_question()

    for _ in range(200):
        core_step()
    core = median_time(core_step, 5000)
    full = median_time(full_step, 1000)

    one = median_time(lambda: run_interview(kb, np.random.default_rng(7)), 50)
    questions = []
    start = time.perf_counter()
    for _ in range(interviews):
        sim_rng = np.random.default_rng(rng.integers(1 << 32))
        _, asked = run_interview(kb, sim_rng)
        questions.append(asked)
    many = time.perf_counter() - start

    if data is not None:  # the command line uses the packaged knowledge base
        return {
            "core_step_us": core * 1e6,
            "assessment_step_us": full * 1e6,
            "interview_ms": one * 1e3,
            "interviews": interviews,
            "interviews_s": many,
            "questions_median": statistics.median(questions),
        }
    help_times = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "midback", "--help"], capture_output=True, check=True)
        help_times.append(time.perf_counter() - t0)

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(
            {
                "age": 60,
                "sex": "male",
                "evidence": [
                    {"id": "onset_sudden", "state": "present"},
                    {"id": "character_tearing", "state": "present"},
                    {"id": "location_between_shoulder_blades", "state": "present"},
                    {"id": "high_blood_pressure", "state": "present"},
                ],
            },
            handle,
        )
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(
        [sys.executable, "-m", "midback", "assess", "--answers", handle.name, "--json"],
        capture_output=True,
        check=True,
    )
    peak_kib = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    Path(handle.name).unlink()
    return {
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, numpy {np.__version__}",
        "conditions": len(kb.conditions),
        "findings": len(kb.findings),
        "questions": len(kb.questions),
        "outcomes": int(kb.outcome_probability.shape[0]),
        "core_step_us": core * 1e6,
        "assessment_step_us": full * 1e6,
        "interview_ms": one * 1e3,
        "interviews": interviews,
        "interviews_s": many,
        "questions_median": statistics.median(questions),
        "questions_p90": float(np.percentile(questions, 90)),
        "help_s": statistics.median(help_times),
        "assess_peak_mb": peak_kib / 1024,
    }


def markdown(r: dict[str, object]) -> str:
    return f"""# Engine benchmarks

Generated by `python scripts/bench_engine.py --write`; do not edit by hand. Timings are
medians on the machine below and vary with load; they are not asserted in tests.

Machine: {r["machine"]}. Knowledge base: {r["conditions"]} conditions, {r["findings"]} findings in
{r["questions"]} questions ({r["outcomes"]} answer outcomes).

| measure | result | target |
|---|---|---|
| one step, numerical core (posterior + expected gain of every question) \
| {r["core_step_us"]:.1f} µs | < 50 µs |
| one step through `Assessment` (adds the screen, red-flag follow-up and stop rule) \
| {r["assessment_step_us"]:.1f} µs | |
| one simulated interview, start to result | {r["interview_ms"]:.2f} ms | < 1 ms for 20 questions |
| {r["interviews"]:,} simulated interviews | {r["interviews_s"]:.1f} s | < 30 s |
| questions per simulated interview (median / 90th percentile) \
| {r["questions_median"]:.0f} / {r["questions_p90"]:.0f} | |
| `midback --help` | {r["help_s"]:.2f} s | < 0.5 s |
| peak memory of `midback assess --answers ... --json` | {r["assess_peak_mb"]:.0f} MB | < 150 MB |

Simulated patients draw a true condition from the prior for a random age and sex, then answer
every question by sampling from that condition's likelihoods.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite docs/benchmarks.md")
    parser.add_argument("--interviews", type=int, default=10_000)
    parser.add_argument("--data", type=Path, default=None, help="another knowledge-base folder")
    args = parser.parse_args()
    result = measure(args.interviews, args.data)
    print(json.dumps(result, indent=2))
    if args.write:
        (ROOT / "docs" / "benchmarks.md").write_text(markdown(result), encoding="utf-8")


if __name__ == "__main__":
    main()
