"""The `midback` command in both modes, as a user would run it."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from midback.cli import main
from midback.cli.interview import run_interview
from midback.knowledge import KnowledgeBase


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def write(tmp_path: Path, data: object, name: str = "answers.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


DESK_WORKER = {
    "age": 34,
    "sex": "female",
    "evidence": [
        {"id": "chest_pain", "state": "absent"},
        {"id": "onset_gradual", "state": "present"},
        {"id": "shortness_of_breath", "state": "absent"},
        {"id": "fainting", "state": "absent"},
        {"id": "leg_weakness", "state": "absent"},
        {"id": "bladder_bowel_change", "state": "absent"},
        {"id": "trauma_none", "state": "present"},
        {"id": "fever", "state": "absent"},
        {"id": "pregnant", "state": "absent"},
        {"id": "character_dull_ache", "state": "present"},
        {"id": "desk_work", "state": "present"},
        {"id": "eased_by_position_change", "state": "present"},
        {"id": "worse_with_sitting", "state": "present"},
        {"id": "location_between_shoulder_blades", "state": "present"},
        {"id": "night_pain", "state": "absent"},
    ],
}


def test_answers_file_to_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["assess", "--answers", str(write(tmp_path, DESK_WORKER)), "--json"], capsys
    )
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["triage"]["level"] == "self_care"
    assert result["conditions"][0]["id"] in {"postural_pain", "muscle_strain"}
    assert "not a diagnosis" in result["disclaimer"]
    assert isinstance(result["should_stop"], bool)
    assert result["conditions"][0]["raised_by"], "the top cause says why"
    assert result["advice"]["self_care"], "a self-care plan"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON (line 1, column 2"),
        (
            {"age": 45, "sex": "female", "evidence": [{"id": "fevr", "state": "present"}]},
            "unknown finding id 'fevr' (did you mean 'fever'?)",
        ),
        (
            {"age": 7, "sex": "female", "evidence": []},
            "field 'age': midback assesses people aged 12",
        ),
        ({"age": -3, "sex": "female", "evidence": []}, "field 'age'"),
        ({"age": "forty", "sex": "female", "evidence": []}, "field 'age'"),
        ({"age": 40, "sex": "other", "evidence": []}, "field 'sex'"),
        (
            {"age": 40, "sex": "male", "evidence": [{"id": "fever", "state": "maybe"}]},
            "field 'evidence.0.state'",
        ),
        (
            {"age": 40, "sex": "male", "evidence": [{"id": "pregnant", "state": "present"}]},
            "does not apply to a male",
        ),
        ([1, 2, 3], "field '(top level)'"),
    ],
)
def test_bad_answers_files_get_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: object, message: str
) -> None:
    code, out, err = run(["assess", "--answers", str(write(tmp_path, content)), "--json"], capsys)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_missing_answers_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["assess", "--answers", "/no/such/file.json"], capsys)
    assert code == 2
    assert "does not exist" in err


def test_findings_and_conditions_list_the_vocabulary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["findings", "--json"], capsys)
    findings = json.loads(out)
    assert code == 0 and len(findings) >= 80
    assert {"id", "label", "question", "ask", "kind"} <= set(findings[0])
    code, out, _ = run(["conditions", "--json"], capsys)
    assert code == 0 and len(json.loads(out)) == 26
    code, out, _ = run(["conditions"], capsys)
    assert "aortic_dissection" in out


def test_kb_check_reports_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["kb", "check", "--json"], capsys)
    report = json.loads(out)
    assert code == 0 and report["ok"]
    assert report["conditions"] == 26 and report["findings"] >= 80
    assert report["conditions_with_sources"] == 26
    assert 0 < report["likelihoods"]["share_sourced"] <= 1
    code, out, _ = run(["kb", "check"], capsys)
    assert "Knowledge base OK" in out


def test_kb_check_on_a_broken_knowledge_base(
    small_kb_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (small_kb_copy / "priors.yaml").write_text("population: x\npriors: {benign: {base: 2}}\n")
    code, _, err = run(["kb", "check", "--data", str(small_kb_copy)], capsys)
    assert code == 3
    assert "priors.yaml" in err and "Traceback" not in err


def interview(kb: KnowledgeBase, answers: list[str], **kwargs: object) -> str:
    feed = iter(answers)
    console = Console(file=io.StringIO(), width=120, color_system=None)

    def read(prompt: str) -> str:
        console.print(prompt, end="")
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    run_interview(kb, console, read=read, **kwargs)  # type: ignore[arg-type]
    return console.file.getvalue()  # type: ignore[attr-defined]


VIGNETTE = """
- id: sparse_strain
  title: A sore upper back after moving house
  split: test
  source: {title: A test source, url: "https://example.org/case", kind: textbook}
  age: 30
  sex: female
  story: I have had an ache between my shoulder blades since I moved house last week.
  present: [location_between_shoulder_blades, lifting_trigger, duration_days_to_6_weeks]
  gold: {condition: muscle_strain, triage: self_care}
"""


def test_bench_runs_a_vignette_file_both_ways(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = write(tmp_path, VIGNETTE, "cases.yaml")
    code, out, _ = run(["bench", str(cases), "--json"], capsys)
    report = json.loads(out)
    assert code == 0
    assert (report["vignettes"], report["mode"], report["unstated"]) == (
        1,
        "interview",
        "dont_know",
    )
    assert report["questions_median"] > 0
    code, out, _ = run(["bench", str(cases), "--json", "--unstated", "no"], capsys)
    assert json.loads(out)["unstated"] == "no"
    code, out, _ = run(["bench", str(cases), "--mode", "full"], capsys)
    assert code == 0 and "mode full" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mode", "quick"], "--mode must be interview or full"),
        (["--unstated", "maybe"], "--unstated must be dont_know or no"),
        (["--split", "train"], "--split must be tune, test, holdout or all"),
    ],
)
def test_bench_options_are_checked(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["bench", *args], capsys)
    assert code == 2 and message in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["assess", "--age", "abc"], "--age"),
        (["assess", "--sex", "x"], "--sex"),
        (["--bogus"], "--bogus"),
        (["nosuchcommand"], "nosuchcommand"),
        (["serve", "--port", "abc"], "--port"),
        (["assess", "--age", "500", "--sex", "male"], "--age must be a whole number"),
    ],
)
def test_a_usage_error_is_one_clear_message_not_a_traceback(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_files_that_cannot_be_read_are_one_clear_line(
    tmp_path: Path, small_kb_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "cases.yaml"
    binary.write_bytes(b"\xff\xfe not text")
    deep = write(tmp_path, "[" * 100_000 + "]" * 100_000, "deep.json")
    (small_kb_copy / "triage.yaml").write_bytes(b"\xff\xfe")
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    for argv, message, exit_code in [
        (["bench", str(tmp_path)], "a folder, not a vignette file", 2),
        (["bench", str(binary)], "not UTF-8 text", 2),
        (["assess", "--answers", str(deep)], "nested too deeply", 2),
        (["kb", "check", "--data", str(small_kb_copy)], "triage.yaml: the file is not UTF-8", 3),
        (["guides", "export", str(blocked / "guides")], "cannot write the guides", 2),
    ]:
        code, _, err = run(argv, capsys)
        assert (code, "Traceback" in err) == (exit_code, False), argv
        assert message in err, argv


def test_a_bad_setting_in_the_environment_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MIDBACK_MAX_BODY_BYTES", "abc")
    code, _, err = run(["serve", "--db", f"sqlite:///{tmp_path / 'x.db'}"], capsys)
    assert code == 2 and "MIDBACK_MAX_BODY_BYTES" in err and "integer" in err


def test_bench_names_the_file_and_field_of_a_bad_vignette(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = write(tmp_path, VIGNETTE.replace("muscle_strain", "muscle_sprain"), "cases.yaml")
    code, _, err = run(["bench", str(cases)], capsys)
    assert code == 2
    assert "cases.yaml" in err and "sparse_strain" in err and "muscle_sprain" in err


def test_the_interview_ends_at_once_on_an_emergency(kb: KnowledgeBase) -> None:
    # 61-year-old man: chest pain yes, built up over hours, short of breath -> ambulance at once
    screen = interview(kb, ["61", "m", "y", "2", "y"])
    assert "CALL AN AMBULANCE NOW" in screen
    assert "Question 4" not in screen
    assert "Not a diagnosis" in screen


def test_the_interview_goes_back_and_quits(kb: KnowledgeBase) -> None:
    screen = interview(kb, ["45", "f", "b", "n", "b", "n", "q"])
    assert "nothing to go back to" in screen
    assert screen.count("Question 1 ") >= 2
    assert "Stopped. Nothing was saved." in screen


def test_the_interview_rejects_a_bad_answer_and_asks_again(kb: KnowledgeBase) -> None:
    screen = interview(kb, ["abc", "²", "500", "45", "x", "f", "maybe", "q"])
    assert screen.count("whole number") == 2  # "abc" and a superscript two
    assert "must be 120 or less" in screen
    assert "Please type f or m" in screen
    assert "Please answer with" in screen


def test_input_that_ends_mid_interview_exits_non_zero_without_a_result() -> None:
    # A script piping in too few answers must be able to tell it got no result.
    done = subprocess.run(
        [sys.executable, "-m", "midback", "assess", "--age", "45", "--sex", "female"],
        input="n\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "input ended before the interview was finished" in done.stdout
    assert "Most likely causes" not in done.stdout
    assert "Traceback" not in done.stderr


def test_typing_q_stops_the_interview_and_exits_zero() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "midback", "assess", "--age", "45", "--sex", "female"],
        input="n\nq\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Stopped. Nothing was saved." in done.stdout


def test_children_are_told_to_see_a_doctor(kb: KnowledgeBase) -> None:
    assert "see a doctor" in interview(kb, ["8"]).lower()


def test_a_full_interview_reaches_a_result(kb: KnowledgeBase) -> None:
    screen = interview(kb, ["30", "m"] + ["?"] * 60)
    assert "Most likely causes" in screen
    assert "Not a diagnosis" in screen


def test_python_m_midback_runs_end_to_end(tmp_path: Path) -> None:
    path = write(tmp_path, DESK_WORKER)
    done = subprocess.run(
        [sys.executable, "-m", "midback", "assess", "--answers", str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["triage"]["level"] == "self_care"


def test_serve_applies_migrations_and_answers(tmp_path: Path) -> None:
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    database = tmp_path / "nested" / "midback.sqlite3"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "midback",
            "serve",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{database}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as page:
                    assert page.status == 200
                    assert "Start an assessment" in page.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not answer")
        assert database.exists()
    finally:
        server.terminate()
        server.wait(timeout=10)
        if server.stdout is not None:
            server.stdout.close()


def test_serve_with_an_unreachable_database_is_one_clear_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(["serve", "--db", "postgresql://nobody@127.0.0.1:1/none"], capsys)
    assert code == 2
    assert "cannot prepare the database" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["serve"], ["admin", "create-user", "sam"]])
def test_an_empty_db_option_is_refused_not_taken_as_the_default(
    command: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import uvicorn

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the server was started")

    monkeypatch.setattr(uvicorn, "run", never)
    default = tmp_path / "default.sqlite3"
    monkeypatch.setenv("MIDBACK_DATABASE_URL", f"sqlite:///{default}")
    extra = ["--password-stdin"] if command[0] == "admin" else []
    for empty in ("", "  "):
        monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough password\n"))
        code, _, err = run([*command, "--db", empty, *extra], capsys)
        assert code == 2
        assert "--db is empty" in err and "Traceback" not in err
    assert not default.exists()  # the default database was neither made nor touched


def test_admin_create_user_makes_a_moderator_and_refuses_bad_accounts_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def create(username: str, password: str, database: Path) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
        url = f"sqlite:///{database}"
        return run(["admin", "create-user", username, "--db", url, "--password-stdin"], capsys)

    never_made = tmp_path / "new" / "midback.db"
    code, _, err = create("sam", "short", never_made)
    assert code == 2 and "at least 12 characters" in err
    assert not never_made.parent.exists()  # refused before any database was made

    database = tmp_path / "midback.db"
    code, out, _ = create("sam", "a long enough password", database)
    assert code == 0 and "moderator 'sam' created" in out
    code, _, err = create("sam", "another long password", database)
    assert code == 2 and "already exists" in err
