"""The HTTP API through an HTTP client, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from midback.storage import AssessmentStore

DISSECTION = {
    "age": 60,
    "sex": "male",
    "evidence": [
        {"id": "onset_sudden", "state": "present"},
        {"id": "character_tearing", "state": "present"},
        {"id": "high_blood_pressure", "state": "present"},
    ],
}


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "message", "field"}
    assert body["error"]["status"] == response.status_code
    assert "Traceback" not in response.text
    return body["error"]


def test_diagnosis_ranks_conditions_and_asks_next(client: TestClient) -> None:
    body = client.post("/api/v1/diagnosis", json={"age": 34, "sex": "female"}).json()
    assert len(body["conditions"]) == 26
    assert sum(c["probability"] for c in body["conditions"]) == pytest.approx(1, abs=1e-4)
    assert body["next_question"]["id"] == "chest_pain"
    assert body["should_stop"] is False


def test_diagnosis_stops_on_an_emergency(client: TestClient) -> None:
    body = client.post("/api/v1/diagnosis", json=DISSECTION).json()
    assert "aortic_dissection" in [c["id"] for c in body["conditions"][:3]]
    assert body["should_stop"] is True and body["stop_reason"] == "emergency"
    assert body["next_question"] is None


def test_triage_gives_level_reasons_and_red_flags(client: TestClient) -> None:
    body = client.post("/api/v1/triage", json=DISSECTION).json()
    assert body["level"] == "call_ambulance"
    assert "sudden_tearing_or_worst_pain" in [flag["id"] for flag in body["red_flags"]]
    deciding = [r for r in body["reasons"] if r["sets_level"]]
    assert deciding and set(deciding[0]["findings"]) <= {"onset_sudden", "character_tearing"}
    assert "not a diagnosis" in body["disclaimer"]


def test_explain_lists_each_answers_effect(client: TestClient) -> None:
    body = client.post(
        "/api/v1/explain", json={**DISSECTION, "condition_id": "aortic_dissection"}
    ).json()
    assert body["contributions"][0]["likelihood_ratio"] > 1
    assert {c["finding"] for c in body["contributions"]} == {
        "onset_sudden",
        "character_tearing",
        "high_blood_pressure",
    }


def test_the_vocabulary_endpoints(client: TestClient) -> None:
    conditions = client.get("/api/v1/conditions").json()
    assert len(conditions) == 26
    one = client.get("/api/v1/conditions/herpes_zoster").json()
    assert one["sources"] and one["helps"] and one["imaging"]
    findings = client.get("/api/v1/findings").json()
    assert len(findings) >= 80


def test_stored_assessments_create_read_delete(client: TestClient) -> None:
    created = client.post("/api/v1/assessments", json=DISSECTION)
    assert created.status_code == 201
    token = created.json()["token"]
    read = client.get(f"/api/v1/assessments/{token}")
    assert read.status_code == 200
    assert read.json()["triage"]["level"] == "call_ambulance"
    assert client.delete(f"/api/v1/assessments/{token}").status_code == 204
    assert error_of(client.get(f"/api/v1/assessments/{token}"))["field"] == "token"
    assert client.delete(f"/api/v1/assessments/{token}").status_code == 404


def test_a_saved_assessment_this_knowledge_base_cannot_read_is_a_clear_409(
    client: TestClient, store: AssessmentStore
) -> None:
    # Saved with a finding a later knowledge base has retired: said plainly, and kept as it is.
    token = store.create(
        {
            "format": 1,
            "knowledge_base_version": "2025.1",
            "age": 40,
            "sex": "male",
            "steps": [[{"id": "retired_finding", "state": "present"}]],
        }
    )
    response = client.get(f"/api/v1/assessments/{token}")
    assert response.status_code == 409
    error = error_of(response)
    assert error["field"] == "token"
    assert "2025.1" in error["message"] and "retired_finding" in error["message"]
    page = client.get(f"/a/{token}")
    assert page.status_code == 409 and "cannot be shown with this one" in page.text
    assert store.get(token) is not None


@pytest.mark.parametrize(
    ("body", "status", "field", "words"),
    [
        (
            {"age": 40, "sex": "male", "evidence": [{"id": "fevr", "state": "present"}]},
            422,
            "evidence",
            "unknown finding id 'fevr'",
        ),
        ({"age": 8, "sex": "male"}, 422, "age", "should see a doctor"),
        ({"age": 400, "sex": "male"}, 422, "age", "not a plausible age"),
        ({"age": "forty", "sex": "male"}, 422, "age", "integer"),
        ({"age": 40.5, "sex": "male"}, 422, "age", "integer"),
        ({"age": 40, "sex": "other"}, 422, "sex", "female"),
        ({"sex": "male"}, 422, "age", "required"),
        (
            {"age": 40, "sex": "male", "evidence": [{"id": "fever", "state": "maybe"}]},
            422,
            "evidence[0].state",
            "present",
        ),
        (
            {"age": 40, "sex": "male", "evidence": [{"id": "fever"}]},
            422,
            "evidence[0].state",
            "required",
        ),
        ({"age": 40, "sex": "male", "evidence": "fever"}, 422, "evidence", "list"),
        ({"age": 40, "sex": "male", "extra": 1}, 422, "extra", "not permitted"),
        (
            {"age": 40, "sex": "male", "evidence": [{"id": "pregnant", "state": "present"}]},
            422,
            "evidence",
            "does not apply",
        ),
        (
            {"age": 40, "sex": "male", "evidence": [{"id": "pregnant", "state": "unknown"}]},
            422,
            "evidence",
            "does not apply to a male",
        ),
        (
            {
                "age": 40,
                "sex": "male",
                "evidence": [
                    {"id": "onset_sudden", "state": "present"},
                    {"id": "onset_gradual", "state": "present"},
                ],
            },
            422,
            "evidence",
            "only one can be true",
        ),
        ([1, 2], 422, "body", "must be a JSON object"),
    ],
)
def test_bad_input_gets_a_4xx_naming_the_field(
    client: TestClient, body: object, status: int, field: str | None, words: str
) -> None:
    for path in ("/api/v1/diagnosis", "/api/v1/triage", "/api/v1/assessments"):
        response = client.post(path, json=body)
        error = error_of(response)
        assert response.status_code == status, path
        assert error["field"] == field, path
        assert words in error["message"], path


def test_malformed_json_and_wrong_types(client: TestClient) -> None:
    response = client.post(
        "/api/v1/diagnosis", content=b'{"age": 4', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    error = error_of(response)
    assert "not valid JSON" in error["message"]
    assert error["field"] == "body"
    empty = error_of(client.post("/api/v1/diagnosis", content=b""))
    assert (empty["field"], "body is empty" in empty["message"]) == ("body", True)
    for content, content_type in [
        (b"age=40&sex=male", "application/x-www-form-urlencoded"),
        (b'"a string"', "application/json"),
        (b"[1, 2]", "application/json"),
    ]:
        response = client.post(
            "/api/v1/diagnosis", content=content, headers={"content-type": content_type}
        )
        assert response.status_code == 422
        wrong = error_of(response)
        assert wrong["field"] == "body" and "must be a JSON object" in wrong["message"]


def test_oversized_bodies_are_refused(client: TestClient) -> None:
    huge = {"age": 40, "sex": "male", "evidence": [{"id": "fever" * 10, "state": "present"}] * 1000}
    response = client.post("/api/v1/diagnosis", json=huge)
    assert response.status_code == 413
    assert "larger than the limit" in error_of(response)["message"]


def test_oversized_bodies_sent_in_chunks_are_refused_too(client: TestClient) -> None:
    # No Content-Length: the body arrives in pieces and the limit is found while reading it.
    def pieces():
        yield b'{"age": 40, "sex": "male", "evidence": ['
        for _ in range(1000):
            yield b'{"id": "fever", "state": "present"},'
        yield b'{"id": "fever", "state": "present"}]}'

    response = client.post(
        "/api/v1/diagnosis", content=pieces(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "larger than the limit" in error_of(response)["message"]
    small = client.post(
        "/api/v1/diagnosis",
        content=iter([b'{"age": 40, ', b'"sex": "male"}']),
        headers={"content-type": "application/json"},
    )
    assert small.status_code == 200


def test_too_many_answers_are_refused(client: TestClient) -> None:
    many = {"age": 40, "sex": "male", "evidence": [{"id": "fever", "state": "present"}] * 301}
    response = client.post("/api/v1/diagnosis", json=many)
    assert response.status_code in (413, 422)
    error_of(response)


def test_unknown_routes_and_methods_are_json_4xx(client: TestClient) -> None:
    assert error_of(client.get("/api/v1/nothing"))["status"] == 404
    assert client.get("/api/v1/diagnosis").status_code == 405
    assert error_of(client.get("/api/v1/conditions/gout"))["field"] == "condition_id"


def test_openapi_and_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/diagnosis" in spec["paths"]
    page = client.get("/docs")
    assert page.status_code == 200
    for path in (
        "/api/v1/diagnosis",
        "/api/v1/triage",
        "/api/v1/explain",
        "/api/v1/assessments/{token}",
    ):
        assert path in page.text


def test_security_headers(client: TestClient) -> None:
    response = client.get("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
