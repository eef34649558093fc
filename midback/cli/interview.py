"""The interactive interview in the terminal: one question at a time, with back and quit."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.panel import Panel

from midback.cli import render
from midback.domain import MAX_AGE, MIN_AGE, Patient, Sex, whole_number
from midback.engine import Assessment, EvidenceError
from midback.engine.interview import NextQuestion
from midback.knowledge.model import KnowledgeBase

PHASE_NOTE = {
    "screen": "checking for emergencies first",
    "red_flag_followup": "following up an earlier answer",
    "red_flag_check": "checking for warning signs",
    "information": "narrowing down the cause",
}

BACK, QUIT = "b", "q"


EXIT_INPUT_ENDED = 1
"""The exit code when the input ends (end of file, Ctrl-D) before the interview is finished:
a script that pipes in too few answers gets no result, and must be able to tell."""


class _Quit(Exception):
    """The person typed q."""


class _InputEnded(_Quit):
    """The input ended before the interview was finished."""


def _ask(console: Console, prompt: str, read: Callable[[str], str]) -> str:
    try:
        return read(prompt).strip().lower()
    except EOFError:
        raise _InputEnded from None


def _welcome(console: Console, kb: KnowledgeBase) -> None:
    console.print(
        Panel(
            "midback asks about your middle or upper back pain, then shows the most likely causes, "
            "how urgently to get care and what helps, with the reasons.\n\n"
            "[bold]If you have chest pain, trouble breathing, sudden weakness or you feel very unwell, "
            "call your emergency number now (999, 911 or 112).[/bold]\n\n"
            f"{kb.policy.disclaimer}\n\n"
            "Answer with the letter or number shown. [b]b[/b] goes back, [b]q[/b] quits, "
            "[b]?[/b] means don't know.",
            title="midback",
            border_style="blue",
        )
    )


def _ask_patient(
    console: Console, read: Callable[[str], str], age: int | None, sex: Sex | None
) -> Patient | None:
    while age is None:
        text = _ask(console, "How old are you (years)? ", read)
        if text == QUIT:
            raise _Quit
        number = whole_number(text)
        if number is None:
            console.print("[red]Please type your age as a whole number, e.g. 45.[/red]")
            continue
        if number > MAX_AGE:
            console.print(f"[red]Please check your age: it must be {MAX_AGE} or less.[/red]")
            continue
        age = number
    if age < MIN_AGE:
        console.print(
            Panel(
                f"midback is for people aged {MIN_AGE} and over. Back pain in a child under {MIN_AGE} "
                "is uncommon and should be checked by a doctor: please contact your child's doctor. "
                "If the child is very unwell, has a fever, or cannot walk normally, seek urgent care.",
                title="Please see a doctor",
                border_style="yellow",
            )
        )
        return None
    while sex is None:
        text = _ask(
            console, "Sex (f = female, m = male; the body's sex matters for some causes): ", read
        )
        if text == QUIT:
            raise _Quit
        sex = {"f": Sex.FEMALE, "female": Sex.FEMALE, "m": Sex.MALE, "male": Sex.MALE}.get(text)
        if sex is None:
            console.print("[red]Please type f or m.[/red]")
    try:
        return Patient(age=age, sex=sex)
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        return None


def _prompt_question(
    console: Console, assessment: Assessment, step: NextQuestion, read: Callable[[str], str]
) -> str | float | None:
    """Ask one question; the answer, BACK as None, or raise _Quit."""
    kb = assessment.kb
    question = step.question
    number = assessment.questions_answered + 1
    console.print(f"\n[dim]Question {number} - {PHASE_NOTE[step.phase]}[/dim]")
    console.print(question.ask, style="bold", markup=False)
    if question.kind == "yes_no":
        hint = "y = yes, n = no, ? = don't know"
    elif question.kind == "single_choice":
        for position, finding_id in enumerate(question.findings, start=1):
            console.print(f"  {position}. {kb.finding(finding_id).option}", markup=False)
        hint = f"1-{len(question.findings)}, ? = don't know"
    else:
        hint = f"a number from {question.min:g} to {question.max:g}, ? = don't know"
    while True:
        text = _ask(console, f"({hint}, b = back, q = quit) > ", read)
        if text == QUIT:
            raise _Quit
        if text == BACK:
            return None
        if text in {"?", "dk", "don't know", "unknown"}:
            return "unknown"
        if question.kind == "yes_no" and text in {"y", "yes", "n", "no"}:
            return "yes" if text.startswith("y") else "no"
        choice = whole_number(text) if question.kind == "single_choice" else None
        if choice is not None and 1 <= choice <= len(question.findings):
            return question.findings[choice - 1]
        if question.kind == "number":
            try:
                value = float(text)
            except ValueError:
                value = None
            if (
                value is not None
                and question.min is not None
                and question.max is not None
                and question.min <= value <= question.max
            ):
                return value
        console.print(f"[red]Please answer with {hint}.[/red]")


def run_interview(
    kb: KnowledgeBase,
    console: Console,
    *,
    age: int | None = None,
    sex: Sex | None = None,
    read: Callable[[str], str] | None = None,
) -> int:
    """Run the whole interview; returns the exit code."""
    reader = read or console.input
    _welcome(console, kb)
    try:
        patient = _ask_patient(console, reader, age, sex)
        if patient is None:
            return 0
        assessment = Assessment(kb, patient)
        while (step := assessment.next_question()) is not None:
            answer = _prompt_question(console, assessment, step, reader)
            if answer is None:
                if not assessment.undo():
                    console.print(
                        "[yellow]This is the first question; there is nothing to go back to.[/yellow]"
                    )
                continue
            try:
                assessment.answer(step.question.id, answer)
            except (
                EvidenceError
            ) as error:  # pragma: no cover - the prompt only offers valid answers
                console.print(f"[red]{error}[/red]")
    except _InputEnded:
        console.print("\nThe input ended before the interview was finished. Nothing was saved.")
        return EXIT_INPUT_ENDED
    except _Quit:
        console.print("\nStopped. Nothing was saved.")
        return 0
    console.print()
    render.result(console, kb, assessment.result())
    return 0
