"""The web app in real headless Chromium: by mouse, by keyboard only, on a phone, and axe-core."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

DESK_WORKER = {
    "Do you also have pain, pressure or tightness in your chest?": "No",
    "How did this pain start?": "Gradually, over days or longer",
    "Did the pain start after an injury?": "No injury",
    "Where is the pain worst?": "In the middle, between the shoulder blades",
    "Which word describes the pain best?": "A dull ache or stiffness",
    "How long have you had this pain?": "From a day to 6 weeks",
    "Do you spend long periods sitting (at a desk, a screen or driving) most days?": "Yes",
    "Does moving about, stretching or changing position ease it?": "Yes",
}


def check_accessibility(page, name: str) -> None:
    results = Axe().run(page)
    serious = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, f"{name}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']}" for v in serious
    )
    screenshot(page, name)


def start_interview(page, base: str, age: str = "34", sex: str = "Female") -> None:
    page.goto(base + "/")
    check_accessibility(page, "home")
    page.get_by_role("link", name="Start an assessment").click()
    check_accessibility(page, "start")
    page.get_by_label("Your age in years").fill(age)
    page.get_by_label(sex, exact=True).check()
    page.get_by_role("button", name="Continue").click()


def answer_until_result(page, answers: dict[str, str]) -> None:
    for _ in range(40):
        if page.locator("section.triage").count():
            return
        question = page.locator("legend h1").inner_text().strip()
        label = answers.get(question)
        if label is None:
            label = (
                "No" if page.get_by_role("button", name="No", exact=True).count() else "Don't know"
            )
        page.get_by_role("button", name=label, exact=True).click()
    raise AssertionError("no result after 40 questions")


def test_an_interview_by_mouse_to_a_result_then_save_reopen_delete(page, live_server) -> None:
    start_interview(page, live_server)
    check_accessibility(page, "question")
    answer_until_result(page, DESK_WORKER)
    assert page.locator("#triage-title").inner_text() == "Look after it yourself for now"
    check_accessibility(page, "result")
    page.get_by_role("button", name="Save this assessment").click()
    assert "Saved." in page.locator(".notice").inner_text()
    link = page.url.split("?")[0]
    check_accessibility(page, "saved")
    page.goto(link)
    assert page.locator("#triage-title").inner_text() == "Look after it yourself for now"
    assert page.get_by_role("button", name="Print this result").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Delete this assessment").is_visible()
    screenshot(page, "print")
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Delete this assessment").click()
    assert page.locator("h1").inner_text() == "Deleted"
    check_accessibility(page, "deleted")
    assert page.goto(link).status == 404


def test_an_interview_by_keyboard_only(page, live_server) -> None:
    page.goto(live_server + "/assess")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand link
    focused = ""
    for _ in range(10):  # tab to the age field
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if focused == "age":
            break
    assert focused == "age"
    page.keyboard.type("61")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # into the radio group: choose "Male" with the keyboard
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Chest pain: Yes (Tab to the first answer button, Enter)
    for answer_name in ("Yes", "Building up over a few hours", "Yes"):
        for _ in range(15):
            page.keyboard.press("Tab")
            text = page.evaluate("document.activeElement.innerText || ''").strip()
            if text == answer_name:
                break
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", "focus is visible"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if page.locator("section.triage").count():
            break
    assert page.locator("#triage-title").inner_text() == "Call an ambulance now"


def test_phone_width(phone, live_server) -> None:
    start_interview(phone, live_server)
    for name in ("question-phone", "result-phone"):
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{name}: the page is {width}px wide on a 360px screen"
        box = (
            phone.get_by_role("button", name="Don't know").bounding_box()
            if name == "question-phone"
            else None
        )
        if box:
            assert box["height"] >= 44, "touch targets are at least 44px high"
        screenshot(phone, name)
        if name == "question-phone":
            answer_until_result(phone, DESK_WORKER)


def test_api_docs_page(page, live_server) -> None:
    page.goto(live_server + "/docs")
    assert "/api/v1/diagnosis" in page.content()
    check_accessibility(page, "docs")


def test_guides_and_a_moderated_reply(page, live_server) -> None:
    from tests.browser.conftest import MODERATOR_PASSWORD

    page.goto(live_server + "/guides")
    check_accessibility(page, "guides")
    page.get_by_role("link", name="Shingles").first.click()
    check_accessibility(page, "guide")
    page.get_by_label("Name").fill("Robin")
    page.get_by_label("Email").fill("robin.private@example.org")
    page.get_by_label("Your reply").fill("The rash came two days after the pain <b>started</b>.")
    page.get_by_role("button", name="Send reply").click()
    assert "waiting for a moderator" in page.locator("h1").inner_text()
    check_accessibility(page, "reply-sent")
    page.goto(live_server + "/admin/login")
    check_accessibility(page, "admin-login")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill(MODERATOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert page.locator("h1").inner_text() == "Moderation queue"
    check_accessibility(page, "admin-queue")
    page.get_by_role("button", name="Approve the reply from Robin").click()
    page.goto(live_server + "/guides/herpes_zoster")
    body = page.locator(".reply-body").first.inner_text()
    assert body == "The rash came two days after the pain <b>started</b>."
    assert "robin.private@example.org" not in page.content()
