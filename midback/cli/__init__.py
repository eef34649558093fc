"""The `midback` command: a thin adapter that parses arguments, calls the engine and prints.

Errors a user can cause (a bad answers file, an impossible age, a broken knowledge-base edit)
print one line to stderr and exit non-zero; they never show a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from midback.settings import Settings

from midback import __version__
from midback.domain import MAX_AGE, Sex
from midback.knowledge.errors import KnowledgeError

# The engine, the knowledge base and rich are imported inside the commands, so that
# `midback --help` stays fast.

EXIT_USAGE = 2
EXIT_KNOWLEDGE = 3

app = typer.Typer(
    name="midback",
    help="Likely causes, urgency and self-care for middle and upper back pain - with reasons. "
    "Not a diagnosis.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
kb_app = typer.Typer(help="Inspect and validate the knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")
guides_app = typer.Typer(help="The condition guides.", no_args_is_help=True)
app.add_typer(guides_app, name="guides")
admin_app = typer.Typer(help="Moderator accounts for the reader replies.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")


class UserError(Exception):
    """A problem with what the user gave us; printed as one line."""


def _out() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _read_answers(path: Path) -> Any:
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"answers file '{path}' does not exist") from None
    except IsADirectoryError:
        raise UserError(f"answers file '{path}' is a folder, not a file") from None
    except UnicodeDecodeError:
        raise UserError(f"answers file '{path}' is not UTF-8 text") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise UserError(f"answers file '{path}' is nested too deeply to be answers") from None
    except json.JSONDecodeError as error:
        raise UserError(
            f"answers file '{path}' is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg})"
        ) from None


def _one_line(error: BaseException) -> str:
    """The first line of an error (a database driver's own error, if it wraps one)."""
    cause = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0] if lines else type(cause).__name__


def _version(value: bool) -> None:
    if value:
        typer.echo(f"midback {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """midback: what is most likely causing middle or upper back pain, how urgently to get care,
    and what helps."""


@app.command()
def assess(
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Answer from a JSON file instead of interactively ('-' for stdin).",
            dir_okay=True,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    age: Annotated[int | None, typer.Option(help="Your age in years (interactive mode).")] = None,
    sex: Annotated[Sex | None, typer.Option(help="female or male (interactive mode).")] = None,
) -> None:
    """Run the assessment: an interview in the terminal, or from an answers file."""
    from midback.cli import render
    from midback.cli.interview import run_interview
    from midback.engine import Assessment, EvidenceError
    from midback.engine.answers import parse_answers
    from midback.knowledge import load_knowledge

    kb = load_knowledge()
    if answers is None:
        if as_json:
            raise UserError(
                "--json needs --answers FILE (the interactive interview prints to screen)"
            )
        if age is not None and not 0 <= age <= MAX_AGE:
            raise UserError(f"--age must be a whole number of years from 0 to {MAX_AGE}")
        raise typer.Exit(run_interview(kb, _out(), age=age, sex=sex))
    try:
        patient, evidence = parse_answers(_read_answers(answers))
        assessment = Assessment(kb, patient, evidence)
    except EvidenceError as error:
        raise UserError(f"answers file '{answers}': {error}") from None
    result = assessment.result()
    if as_json:
        _print_json(result.to_dict())
    else:
        render.result(_out(), kb, result)


@app.command()
def findings(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the findings (the answers midback understands), by question."""
    from midback.cli import render
    from midback.knowledge import load_knowledge

    kb = load_knowledge()
    if as_json:
        _print_json(render.findings_data(kb))
    else:
        render.findings_table(_out(), kb)


@app.command()
def conditions(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the conditions midback considers."""
    from midback.cli import render
    from midback.knowledge import load_knowledge

    kb = load_knowledge()
    if as_json:
        _print_json(render.conditions_data(kb))
    else:
        render.conditions_table(_out(), kb)


@kb_app.command("check")
def kb_check(
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data", help="Check another knowledge-base folder instead of the packaged one."
        ),
    ] = None,
) -> None:
    """Validate the knowledge base and report its coverage and sourcing."""
    from midback.cli import render
    from midback.knowledge import load_knowledge
    from midback.knowledge.coverage import coverage

    kb = load_knowledge(data_dir.resolve() if data_dir else None)
    report = coverage(kb)
    if as_json:
        _print_json({"ok": True, **report})
    else:
        render.coverage_report(_out(), report)


@app.command()
def bench(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Vignette files (default: the packaged suite).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    mode: Annotated[
        str,
        typer.Option(
            help="interview: a simulated patient answers the engine's questions; "
            "full: all facts at once."
        ),
    ] = "interview",
    split: Annotated[str, typer.Option(help="tune, test, holdout or all.")] = "all",
    unstated: Annotated[
        str,
        typer.Option(
            help="What the simulated patient answers to a yes/no question its vignette does "
            "not settle: dont_know (the method) or no (a sensitivity check)."
        ),
    ] = "dont_know",
) -> None:
    """Measure accuracy and triage safety on clinical vignettes."""
    from midback.cli import render
    from midback.knowledge import load_knowledge
    from midback.validation import VignetteError, load_vignettes, run_benchmark

    if mode not in ("interview", "full"):
        raise UserError(f"--mode must be interview or full, not '{mode}'")
    if split not in ("tune", "test", "holdout", "all"):
        raise UserError(f"--split must be tune, test, holdout or all, not '{split}'")
    if unstated not in ("dont_know", "no"):
        raise UserError(f"--unstated must be dont_know or no, not '{unstated}'")
    kb = load_knowledge()
    try:
        vignettes = load_vignettes(kb, files or None)
    except VignetteError as error:
        raise UserError(str(error)) from None
    if split != "all":
        vignettes = [v for v in vignettes if v.split == split]
    if not vignettes:
        raise UserError("no vignettes to run")
    report = run_benchmark(kb, vignettes, mode, unstated)  # type: ignore[arg-type]
    if as_json:
        _print_json({"split": split, **report.to_dict()})
    else:
        render.benchmark(_out(), report, split)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: Annotated[
        str | None,
        typer.Option(
            help="Database URL (default: DATABASE_URL, or SQLite in your user data folder). "
            "A postgresql:// URL works the same."
        ),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Start the web app and HTTP API (migrations are applied first)."""
    import os

    import uvicorn

    from midback.storage import upgrade

    url = _database_url(db)
    _settings()  # the workers read the same settings: a bad one is refused here, in one line
    try:
        upgrade(url)
    except Exception as error:  # a wrong URL, an unreachable server, no permission
        raise UserError(f"cannot prepare the database at {url!r}: {_one_line(error)}") from None
    os.environ["MIDBACK_DATABASE_URL"] = url  # read by every worker's app factory
    typer.echo(f"midback on http://{host}:{port}  (database: {url})")
    uvicorn.run(
        "midback.web.asgi:app_from_settings",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


@guides_app.command("export")
def guides_export(
    directory: Annotated[Path, typer.Argument(help="Folder to write the HTML into.")],
) -> None:
    """Export the guides and the claims check as static HTML."""
    from midback.knowledge import load_knowledge
    from midback.web.export import export_guides

    if directory.exists() and not directory.is_dir():
        raise UserError(f"'{directory}' exists and is not a folder")
    try:
        written = export_guides(load_knowledge(), directory)
    except OSError as error:  # a folder that cannot be made or written to
        raise UserError(f"cannot write the guides to '{directory}': {error.strerror}") from None
    typer.echo(f"wrote {len(written)} pages to {directory}")


@admin_app.command("create-user")
def admin_create_user(
    username: Annotated[str, typer.Argument(help="The moderator's username.")],
    db: Annotated[str | None, typer.Option(help="Database URL (as for serve).")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a moderator who can approve, reject and delete reader replies."""
    from midback.storage import AccountError, AssessmentStore, Moderators, upgrade

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        Moderators.check_new_account(username, password)  # before any database is made
    except AccountError as error:
        raise UserError(str(error)) from None
    url = _database_url(db)
    try:
        upgrade(url)
    except Exception as error:
        raise UserError(f"cannot prepare the database at {url!r}: {_one_line(error)}") from None
    store = AssessmentStore(url)
    try:
        Moderators(store.engine).create(username, password)
    except AccountError as error:
        raise UserError(str(error)) from None
    finally:
        store.dispose()
    typer.echo(f"moderator '{username}' created")


def _database_url(db: str | None) -> str:
    """The database URL from --db, else from the settings; an empty or blank --db is refused
    rather than silently meaning the default database."""
    if db is None:
        return _settings().database_url
    if not db.strip():
        raise UserError(
            "--db is empty: give a database URL (sqlite:///path or postgresql://...), "
            "or leave --db out for the default"
        )
    return db


def _settings() -> Settings:
    """The settings from the environment, or a one-line error naming the variable that is wrong."""
    from pydantic import ValidationError

    from midback.settings import Settings as FromEnvironment

    try:
        return FromEnvironment()
    except ValidationError as error:
        first = error.errors()[0]
        name = "MIDBACK_" + str(first["loc"][0]).upper() if first["loc"] else "a MIDBACK_ setting"
        raise UserError(f"environment variable {name}: {first['msg']}") from None


def _is_usage_error(error: Exception) -> bool:
    """A usage error from click (a bad option, a missing argument), which shows itself as one
    line. Recent typer versions raise them from a copy of click they bundle, not from click
    itself, so they are recognised by what they can do rather than by their class."""
    return callable(getattr(error, "show", None)) and isinstance(
        getattr(error, "exit_code", None), int
    )


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app and turn known errors into one-line messages."""
    try:
        code = app(args=argv, standalone_mode=False)
    except UserError as error:
        typer.echo(f"midback: error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except KnowledgeError as error:
        typer.echo(f"midback: knowledge base error: {error}", err=True)
        sys.exit(EXIT_KNOWLEDGE)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        typer.echo("Stopped.", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        typer.echo("\nStopped. Nothing was saved.", err=True)
        sys.exit(130)
    except Exception as error:
        if _is_usage_error(error):
            error.show()  # type: ignore[attr-defined]
            sys.exit(error.exit_code)  # type: ignore[attr-defined]
        raise
    sys.exit(code if isinstance(code, int) else 0)
