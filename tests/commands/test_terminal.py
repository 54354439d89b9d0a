"""The commands as people see them: in a real pseudo-terminal (progress as it happens, width,
a spinner), in a pipe (the same lines, no escape codes), in help, completion and usage errors."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from tests.support.project import OUTPUT_SCHEMA, app_env, project_schema, run_app, write_schema
from tests.support.terminal import ESCAPE, Output, run_in_terminal

# A schema that takes 1.5 s to evaluate, without using CPU while it waits.
SLOW_SCHEMA_LINE = "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);\n"


def run_timed(
    args: list[str], cwd: Path, *, terminal: bool, env: dict[str, str], timeout: float = 30
) -> Output:
    """Run the app with stdout on a pseudo-terminal or a pipe, recording when output came."""
    return run_in_terminal(args, cwd, env, timeout=timeout, pipe=not terminal)


def terminal_env(**extra: str) -> dict[str, str]:
    env = app_env(**{"TERM": "xterm-256color", "COLUMNS": "100", **extra})
    if "NO_COLOR" not in extra:
        env.pop("NO_COLOR", None)
    return env


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()


# -- progress as it happens ---------------------------------------------------------------


@pytest.mark.waits
def test_ping_shows_its_header_at_once_and_a_spinner_while_it_waits(
    project: Path, silent_url: str, refused_url: str
) -> None:
    # What a ping that needs no waiting costs on this machine, now (start-up, imports, the
    # report), in the same terminal: load stretches it and the run below alike.
    at_once = run_timed(["convex", "ping", "--url", refused_url], project, terminal=True, env=terminal_env())
    assert b"connection refused" in at_once.data
    startup = at_once.chunks[-1][0]

    args = ["convex", "ping", "--url", silent_url, "--timeout", "3"]
    timed = run_timed(args, project, terminal=True, env=terminal_env())

    # Not a blank screen for the deadline (3 s): within 2 s, or within a second of when a ping
    # that waits on nothing ended, when the machine is so busy that that takes longer.
    assert timed.when(b"Convex ping") < max(2.0, startup + 1.0), startup
    assert timed.when(b"waiting for http://127.0.0.1") < 2.5  # the spinner, after half a second
    assert re.search(rb"waiting for \S+ to answer \(2\.\d s\)", timed.data)  # elapsed seconds tick
    assert b"no answer from" in timed.data


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "pipe"])
def test_check_lines_appear_as_the_checks_finish(project: Path, terminal: bool) -> None:
    write_schema(project, SLOW_SCHEMA_LINE + project_schema())
    env = terminal_env() if terminal else app_env()

    timed = run_timed(["convex", "check", "--no-typecheck"], project, terminal=terminal, env=env)

    layout, schema = timed.when(b"layout"), timed.when(b"evaluates:")
    assert schema - layout > 1.0, (layout, schema)  # layout was shown while the schema evaluated
    assert timed.when(b"checks passed") >= schema
    if terminal:
        assert b"evaluating convex/schema.ts in Node (" in timed.data  # the spinner said what it waits for
    else:
        assert not ESCAPE.search(timed.data), timed.data  # plain lines in a pipe
        assert b"evaluating convex/schema.ts in Node" not in timed.data  # no spinner either


def test_a_dumb_terminal_gets_plain_lines(project: Path, silent_url: str) -> None:
    env = terminal_env(TERM="dumb")

    timed = run_timed(
        ["convex", "ping", "--url", silent_url, "--timeout", "1"], project, terminal=True, env=env
    )

    assert b"Convex ping" in timed.data and b"no answer from" in timed.data
    assert not ESCAPE.search(timed.data), timed.data


def test_json_output_is_one_document_at_the_end(project: Path) -> None:
    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    jsonschema.validate(json.loads(result.stdout), OUTPUT_SCHEMA)
    assert "Convex check" not in result.stdout


# -- width and repetition -------------------------------------------------------------------


def test_findings_wrap_to_the_terminal_width_with_a_hanging_indent(project: Path) -> None:
    bad = project_schema().replace('.index("by_symbol", ["symbol"])', '.index("by_id", ["symbol"])')
    write_schema(project, bad)
    as_json = run_app("convex", "check", "--json", "--no-typecheck", cwd=project).json()
    finding = {c["name"]: c for c in as_json["checks"]}["push rules"]["findings"][0]
    # the finding names the line that defines the index (schema.ts line 45: `.index("by_id", ...)`)
    assert (finding["file"], finding["line"]) == ("convex/schema.ts", 45)
    message = f"convex/schema.ts:45:{finding['column']}: {finding['message']}"

    timed = run_timed(
        ["convex", "check", "--no-typecheck"],
        project,
        terminal=True,
        env=terminal_env(COLUMNS="50", NO_COLOR="1"),
    )

    text = ESCAPE.sub(b"", timed.data).decode()
    lines = [line.rstrip() for line in re.split(r"\r?\n|\r", text) if line.strip()]
    assert all(len(line) <= 50 for line in lines), [line for line in lines if len(line) > 50]
    first = next(i for i, line in enumerate(lines) if "push/reserved-index" in line)
    indent = len(lines[first]) - len(lines[first].lstrip()) + len("push/reserved-index  ")
    body = [lines[first][indent:]]
    for line in lines[first + 1 :]:
        if not line.startswith(" " * indent) or line.strip().startswith("→"):
            break
        body.append(line.strip())  # each continuation hangs under the message's first word
    assert len(body) > 2, lines
    assert " ".join(body) == message  # wrapped between words, nothing lost


def test_a_failed_check_says_its_cause_once(project: Path, silent_url: str) -> None:
    result = run_app("convex", "ping", "--url", silent_url, "--timeout", "1", cwd=project)

    assert result.stdout.count("no answer from") == 1, result.stdout
    assert "ping/unreachable" in result.stdout  # the code is still shown


# -- help, completion, usage errors ---------------------------------------------------------


# A sentence of each command's help that a hard line break used to split.
SENTENCES = {
    "check": "push rules, contract, generated models, types and .env.example.",
    "ping": "3 no or malformed URL, 4 unreachable or timed out",
    "dev": "--once exits 1 when the push did not complete",
}


@pytest.mark.parametrize("command", list(SENTENCES))
def test_every_command_has_examples_and_wraps_at_80_columns(command: str, tmp_path: Path) -> None:
    result = run_app("convex", command, "--help", cwd=tmp_path, env=app_env(COLUMNS="80"))

    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    assert "Examples:" in result.stdout
    examples = [line.strip() for line in lines if line.strip().startswith("$ app convex " + command)]
    assert len(examples) >= 2, result.stdout
    # Paragraphs wrap where the width says, not where the source broke its lines.
    text = re.sub(r"\s+", " ", " ".join(line.strip(" │") for line in lines))
    assert SENTENCES[command] in text, text
    assert not any(line.strip() in ("or", "and", "no") for line in lines), result.stdout


def test_the_command_list_shows_whole_sentences(tmp_path: Path) -> None:
    result = run_app("convex", "--help", cwd=tmp_path, env=app_env(COLUMNS="120"))

    from cli.commands import check

    assert f"  check    {check.SHORT_HELP}\n" in result.stdout, result.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_scripts(shell: str, tmp_path: Path) -> None:
    result = run_app("--show-completion", shell, cwd=tmp_path)

    assert result.returncode == 0
    assert "_APP_COMPLETE" in result.stdout, result.stdout


def test_completion_completes_commands_and_options(tmp_path: Path) -> None:
    commands = run_app(
        cwd=tmp_path, env=app_env(_APP_COMPLETE="complete_bash", COMP_WORDS="app convex ch", COMP_CWORD="2")
    )
    options = run_app(
        cwd=tmp_path, env=app_env(_APP_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="app convex ping --sy")
    )

    assert commands.stdout.split() == ["check"]
    assert "--sync" in options.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["convex", "ping", "--json", "--count", "0"], "Invalid value for '--count'"),
        (["convex", "check", "--json", "--bogus"], "No such option: --bogus"),
    ],
)
def test_usage_errors_under_json_are_a_json_document(project: Path, args: list[str], message: str) -> None:
    result = run_app(*args, cwd=project)

    assert result.returncode == 2
    document = json.loads(result.stdout)
    jsonschema.validate(document, OUTPUT_SCHEMA)
    assert document["exit_code"] == 2 and document["error"]["code"] == "usage"
    assert document["error"]["message"].startswith(message)
    assert "--help" in document["error"]["hint"]
    assert result.stderr == ""


def test_usage_errors_for_people_are_an_error_and_a_hint(project: Path) -> None:
    result = run_app("convex", "ping", "--count", "0", cwd=project)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: Invalid value for '--count': 0 is not in the range 1<=x<=100.",
        "hint: Run `app convex ping --help` for its options.",
    ]
