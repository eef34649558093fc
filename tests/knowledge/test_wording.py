"""What the person is asked, where the wording itself is a safety control (hazard H6)."""

from __future__ import annotations

from midback.knowledge import load_knowledge

KB = load_knowledge()


def test_the_breathlessness_question_asks_about_breathlessness_beyond_the_usual() -> None:
    # Someone with a lung condition is always somewhat breathless; NHS advice is about being
    # more short of breath than usual, and "yes" here sends the person within 24 hours.
    assert "more short of breath than is usual for you" in KB.question("shortness_of_breath").ask


def test_the_breathlessness_question_tells_pain_on_breathing_apart() -> None:
    # A rib strain that hurts on a deep breath is not breathlessness; the pain has its own
    # question, and a "yes" here can send the person to the emergency department.
    ask = KB.question("shortness_of_breath").ask
    assert "only hurts, answer no" in ask
    assert KB.question("worse_with_breathing").ask.startswith("Is the pain worse when you breathe")
