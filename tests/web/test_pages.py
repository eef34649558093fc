"""The web pages as a browser without JavaScript would use them (plain HTML forms)."""

from __future__ import annotations

import base64
import json
import re
import zlib

from fastapi.testclient import TestClient


def form_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def heading(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, html[:500]
    return re.sub(r"\s+", " ", match.group(1)).strip()


def answer_all(client: TestClient, html: str, answers: dict[str, str]) -> str:
    """Answer every question (from `answers` by question id, else "don't know") to the result."""
    for _ in range(60):
        fields = form_fields(html)
        if "question" not in fields:
            return html
        question = fields["question"]
        value = answers.get(question, "unknown")
        data = {"state": fields["state"], "question": question, "answer": value}
        if value not in ("yes", "no", "unknown") and value.replace(".", "").isdigit():
            data.update(answer="number", number=value)
        response = client.post("/assess/answer", data=data)
        assert response.status_code == 200, response.text[:500]
        html = response.text
    raise AssertionError("the interview did not end")


def start(client: TestClient, age: str = "34", sex: str = "female") -> str:
    response = client.post("/assess/start", data={"age": age, "sex": sex})
    assert response.status_code == 200
    return response.text


def test_home_page_says_what_midback_is_and_how_to_get_help(client: TestClient) -> None:
    html = client.get("/").text
    assert "call an emergency number now" in html.lower()
    assert "not a diagnosis" in html
    assert 'href="/assess"' in html


def test_an_interview_to_a_self_care_result(client: TestClient) -> None:
    html = start(client)
    assert heading(html) == "Do you also have pain, pressure or tightness in your chest?"
    answers = {
        "chest_pain": "no",
        "onset": "onset_gradual",
        "shortness_of_breath": "no",
        "fainting": "no",
        "leg_weakness": "no",
        "bladder_bowel_change": "no",
        "trauma": "trauma_none",
        "fever": "no",
        "pregnant": "no",
        "location": "location_between_shoulder_blades",
        "character": "character_dull_ache",
        "desk_work": "yes",
        "eased_by_position_change": "yes",
        "worse_with_sitting": "yes",
        "duration": "duration_days_to_6_weeks",
        "night_pain": "no",
        "severity": "4",
    }
    html = answer_all(client, html, answers)
    assert "Look after it yourself for now" in html
    assert "Your self-care plan" in html
    assert "This is not a diagnosis." in html
    assert "Desk-related or postural back pain" in html


def test_an_emergency_ends_the_interview_at_once(client: TestClient) -> None:
    html = start(client, "61", "male")
    fields = form_fields(html)
    for answer in ("yes", "onset_hours", "yes"):  # chest pain, over hours, short of breath
        html = client.post("/assess/answer", data={**fields, "answer": answer}).text
        fields = form_fields(html)
    assert heading(html) == "Call an ambulance now"
    assert "Your self-care plan" not in html


def test_back_undoes_the_last_answer(client: TestClient) -> None:
    html = start(client)
    first = heading(html)
    fields = form_fields(html)
    html = client.post("/assess/answer", data={**fields, "answer": "no"}).text
    assert heading(html) != first
    html = client.post("/assess/answer", data={**form_fields(html), "action": "back"}).text
    assert heading(html) == first


def test_save_reopen_and_delete(client: TestClient) -> None:
    html = answer_all(client, start(client, "45", "male"), {})
    state = form_fields(html)["state"]
    saved = client.post("/assessments", data={"state": state}, follow_redirects=False)
    assert saved.status_code == 303
    link = saved.headers["location"].split("?")[0]
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 43
    page = client.get(link)
    assert page.status_code == 200
    assert "Delete this assessment" in page.text and "Your answers" in page.text
    deleted = client.post(f"{link}/delete")
    assert "deleted for good" in deleted.text
    gone = client.get(link)
    assert gone.status_code == 404
    assert "no saved assessment" in gone.text.lower()


def test_the_result_page_is_printable(client: TestClient) -> None:
    html = answer_all(client, start(client), {"chest_pain": "no"})
    assert "Your answers" in html
    assert "Knowledge base" in html
    css = client.get("/static/midback.css").text
    assert "@media print" in css


def test_start_form_errors_keep_what_was_typed(client: TestClient) -> None:
    response = client.post("/assess/start", data={"age": "abc", "sex": ""})
    assert response.status_code == 400
    assert "whole years" in response.text and "choose female or male" in response.text
    assert 'aria-invalid="true"' in response.text
    response = client.post("/assess/start", data={"age": "50", "sex": ""})
    assert 'value="50"' in response.text
    for age in ("²", "9" * 5000, "4.5"):  # a digit that is not a number; too long; a decimal
        response = client.post("/assess/start", data={"age": age, "sex": "male"})
        assert response.status_code == 400 and "whole years" in response.text


def test_children_are_sent_to_a_doctor(client: TestClient) -> None:
    assert (
        "Please see a doctor" in client.post("/assess/start", data={"age": "7", "sex": "male"}).text
    )


def packed(data: object) -> str:
    """A state field as the pages write it: JSON, compressed, base64."""
    raw = data if isinstance(data, str) else json.dumps(data)
    return base64.urlsafe_b64encode(zlib.compress(raw.encode(), 9)).decode().rstrip("=")


def test_a_tampered_state_gets_a_clear_400(client: TestClient) -> None:
    empty_steps = {"format": 1, "age": 40, "sex": "male", "steps": [[], [], []]}
    deep = "[" * 100_000 + "]" * 100_000  # a few hundred characters once compressed
    for state in ["", "not-base64!!", "eJzLSM3JyQcABiwCFQ", "A" * 15000]:
        response = client.post(
            "/assess/answer", data={"state": state, "question": "fever", "answer": "yes"}
        )
        assert response.status_code == 400
        assert "start again" in response.text.lower()
    for state in [packed(empty_steps), packed(deep)]:
        response = client.post("/assess/answer", data={"state": state, "answer": "yes"})
        assert response.status_code == 400
        assert "start again" in response.text.lower()
        saved = client.post("/assessments", data={"state": state}, follow_redirects=False)
        assert saved.status_code == 400 and "Nothing was saved" in saved.text


def test_a_number_out_of_range_is_asked_again(client: TestClient) -> None:
    html = start(client)
    for _ in range(40):
        fields = form_fields(html)
        if fields.get("question") == "severity":
            break
        html = client.post("/assess/answer", data={**fields, "answer": "unknown"}).text
    else:
        raise AssertionError("severity was never asked")
    response = client.post(
        "/assess/answer", data={**form_fields(html), "answer": "number", "number": "42"}
    )
    assert response.status_code == 400
    assert "from 0 to 10" in response.text


def test_an_answer_to_a_question_the_page_did_not_ask_is_refused(client: TestClient) -> None:
    html = start(client)
    first = heading(html)
    fields = form_fields(html)
    for question in ("fever", "no_such_question", ""):
        response = client.post(
            "/assess/answer", data={**fields, "question": question, "answer": "yes"}
        )
        assert response.status_code == 400
        assert "a question this page did not ask" in response.text
        assert heading(response.text) == first  # asked again, nothing recorded
        assert form_fields(response.text)["state"] == fields["state"]


def test_unknown_pages_are_404_html(client: TestClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert "Not found" in response.text
    assert client.get("/a/not-a-real-token-but-long-enough-xx").status_code == 404
