"""Every edge of input and output: closed and full streams, encodings, broken settings files,
malformed URLs, long paths and odd files. Each ends with the documented exit code, one line
of what is wrong and one of what to do, and no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.support.project import OUTPUT_SCHEMA, RUN_TIMEOUT, Result, app_env, project_schema, run_app

OUTPUT_HINT = (
    "hint: Send stdout somewhere it can be written (a terminal, a pipe, a file on a disk with space)."
)


def run_shell(redirects: str, *args: str, cwd: Path, env: dict[str, str] | None = None) -> Result:
    """Run the app with shell redirections applied to it (`>&-`, `> /dev/full`, `2>&-`)."""
    command = " ".join(["exec", '"$@"', redirects])
    proc = subprocess.run(
        ["sh", "-c", command, "sh", sys.executable, "-P", "-m", "cli", *args],
        cwd=cwd,
        env=env or app_env(),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout or "", proc.stderr or "")


# -- stdout that cannot be written -----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "redirect", "message"),
    [
        (
            ["convex", "check", "--json", "--no-typecheck"],
            ">&-",
            "error: stdout is closed, so the output could not be written",
        ),
        (
            ["convex", "check", "--json", "--no-typecheck"],
            "> /dev/full",
            "error: the output could not be written to stdout: No space left on device",
        ),
        (
            ["convex", "check", "--no-typecheck"],
            "> /dev/full",
            "error: the output could not be written to stdout: No space left on device",
        ),
        (
            ["--help"],
            "> /dev/full",
            "error: the output could not be written to stdout: No space left on device",
        ),
        (
            ["convex", "ping", "--url", "http://x..y", "--json"],
            "> /dev/full",
            "error: the output could not be written to stdout: No space left on device",
        ),
    ],
    ids=[
        "check --json >&-",
        "check --json > /dev/full",
        "check > /dev/full",
        "--help > /dev/full",
        "ping error",
    ],
)
def test_stdout_that_fails_exits_74_with_one_line_on_stderr(
    project: Path, args: list[str], redirect: str, message: str
) -> None:
    result = run_shell(redirect, *args, cwd=project)

    assert result.returncode == 74, result.output
    assert result.stderr.splitlines() == [message, OUTPUT_HINT]
    assert "Traceback" not in result.output


def test_a_reader_that_leaves_early_is_no_error(project: Path) -> None:
    result = run_shell("| head -c 10", "convex", "check", "--no-typecheck", cwd=project)

    assert result.stderr == ""
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["convex", "ping", "--url", "http://x..y"], 3),
        (["convex", "ping", "--url", "http://127.0.0.1:9", "--timeout", "1"], 4),
        (["convex", "check", "--no-typecheck"], 0),
        (["convex", "ping", "--count", "0"], 2),
    ],
    ids=["bad url", "unreachable", "check", "usage"],
)
def test_closing_stderr_never_changes_the_exit_code(project: Path, args: list[str], code: int) -> None:
    assert run_app(*args, cwd=project).returncode == code
    assert run_shell("2>&-", *args, cwd=project).returncode == code


def test_stdin_closed_is_no_problem(project: Path) -> None:
    result = run_shell("<&-", "convex", "check", "--no-typecheck", cwd=project)

    assert result.returncode == 0, result.output


# -- encodings -----------------------------------------------------------------------------


def test_ascii_output_falls_back_to_ascii_symbols(project: Path) -> None:
    result = run_app("convex", "check", "--no-typecheck", cwd=project, env=app_env(PYTHONIOENCODING="ascii"))

    assert result.returncode == 0, result.output
    assert "+ layout" in result.stdout and "- types" in result.stdout
    assert f"Convex check - {project}" in result.stdout
    result.stdout.encode("ascii")


def test_ascii_json_is_still_the_same_json(project: Path) -> None:
    (project / "convex" / "schema.ts").write_text(
        project_schema().replace('"chat"', '"chät"'), encoding="utf-8"
    )
    env = app_env(PYTHONIOENCODING="ascii")

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project, env=env)

    result.stdout.encode("ascii")
    contract = {c["name"]: c for c in json.loads(result.stdout)["checks"]}["contract"]
    assert 'v.literal("chät")' in contract["findings"][0]["message"]


def test_failures_render_in_ascii_too(project: Path) -> None:
    (project / "convex" / "schema.ts").write_text("export default 5;\n")

    result = run_app("convex", "check", "--no-typecheck", cwd=project, env=app_env(PYTHONIOENCODING="ascii"))

    assert result.returncode == 1
    assert "x schema" in result.stdout and "-> End convex/schema.ts" in result.stdout
    assert "Traceback" not in result.output


def test_a_non_utf8_byte_in_schema_ts_is_a_warning_with_file_and_line(project: Path) -> None:
    schema = project_schema().encode().replace(b'v.literal("chat")', b'v.literal("ch\xe9t")')
    (project / "convex" / "schema.ts").write_bytes(schema)
    line = schema[: schema.index(b"\xe9")].count(b"\n") + 1

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    check = {c["name"]: c for c in result.json()["checks"]}["schema"]
    assert check["status"] == "warning"
    assert check["findings"][0] == {
        **check["findings"][0],
        "code": "schema/not-utf8",
        "file": "convex/schema.ts",
        "line": line,
        "severity": "warning",
    }
    assert "0xE9" in check["findings"][0]["message"]


# -- settings files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "warning", "error"),
    [
        (
            'CONVEX_URL="http://127.0.0.1:3210\n',
            ".env.local line 1: the quote that opens the value of CONVEX_URL is not closed",
            "error: CONVEX_URL from .env.local is not a deployment URL: '\"http://127.0.0.1:3210'",
        ),
        (
            "# settings\nCONVEX_URL http://127.0.0.1:3210\n",
            ".env.local line 2: not NAME=value, so the Convex CLI (dotenv) skips this line",
            "error: CONVEX_URL is not set",
        ),
        (
            "CONVEX_DEPLOY_KEY='prod:secret-value\nCONVEX_URL=x\n",
            ".env.local line 1: the quote that opens the value of CONVEX_DEPLOY_KEY is not closed",
            "error: CONVEX_URL from .env.local is not a deployment URL: 'x'",
        ),
    ],
    ids=["unterminated quote", "no equals sign", "a key's line"],
)
def test_a_settings_line_dotenv_reads_its_own_way_is_a_warning_with_file_and_line(
    project: Path, content: str, warning: str, error: str
) -> None:
    """npm dotenv 16 (the Convex CLI's reader) keeps an unclosed quote in the value and skips a
    line without `=`; the app reads the same values and says where, never what the line holds."""
    (project / ".env.local").write_text(content)

    result = run_app("convex", "ping", cwd=project)

    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"warning: {warning}"), lines
    assert lines[1].startswith(error), lines
    assert lines[2].startswith("hint: ") and len(lines) == 3, lines
    assert "secret-value" not in result.output


def test_a_settings_file_that_is_a_folder_is_ignored_as_the_cli_ignores_it(project: Path) -> None:
    (project / ".env").mkdir()
    (project / ".env.local").write_text("CONVEX_URL=http://127.0.0.1:9\n")

    result = run_app("convex", "ping", "--timeout", "2", cwd=project)

    assert result.returncode == 4  # .env.local's URL is used: nothing listens on port 9
    assert result.stderr.splitlines()[0].startswith("warning: .env is a folder")
    assert "CONVEX_URL from .env.local" in result.stdout


def test_bad_bytes_in_a_value_are_read_as_the_cli_reads_them(project: Path) -> None:
    (project / ".env.local").write_bytes(b"A=1\nCONVEX_URL=http://h\xe9\n")

    result = run_app("convex", "ping", cwd=project)

    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "warning: .env.local line 2: the value of CONVEX_URL holds bytes that are not UTF-8, "
        "read as U+FFFD. Save the file as UTF-8."
    )
    assert lines[1].startswith("error: CONVEX_URL from .env.local is not a deployment URL")


# -- URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "part"),
    [
        ("https://happy-otter-123.convex.cloud/api/v1", "it has a path, '/api/v1'"),
        ("https://happy-otter-123.convex.cloud?token=1", "it has a query, '?token=1'"),
        ("https://happy-otter-123.convex.cloud/#top", "it has a fragment, '#top'"),
    ],
)
def test_a_url_with_more_than_a_host_names_the_part(project: Path, url: str, part: str) -> None:
    result = run_app("convex", "ping", "--url", url, cwd=project)

    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"error: CONVEX_URL from --url is not a deployment URL: {url!r} ({part}"), (
        lines
    )
    assert lines[1].startswith("hint: Pass --url the deployment's URL alone") and len(lines) == 2


def test_a_long_url_is_shortened_in_messages(project: Path) -> None:
    url = "http://" + "a" * 10_000 + ".example"

    result = run_app("convex", "ping", "--url", url, cwd=project)

    assert result.returncode == 3
    assert len(result.stderr) < 600, len(result.stderr)
    assert "(10015 characters)" in result.stderr


# -- paths -----------------------------------------------------------------------------------


def test_a_path_over_the_system_limit_is_a_clear_error(tmp_path: Path) -> None:
    # Past PATH_MAX nothing takes the whole path (not even a child's cwd): build and enter
    # the folders one name at a time.
    name, depth = "d" * 200, 22
    fd = os.open(tmp_path, os.O_RDONLY)
    for _ in range(depth):
        os.mkdir(name, dir_fd=fd)
        inner = os.open(name, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(fd)
    enter = (
        f"import os, sys; [os.chdir({name!r}) for _ in range({depth})]; os.execv(sys.argv[1], sys.argv[1:])"
    )
    app = str(Path(sys.executable).parent / "app")  # `python -m` cannot start in such a folder
    proc = subprocess.run(
        [sys.executable, "-c", enter, app, "convex", "check"],
        cwd=tmp_path,
        env=app_env(),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )

    assert proc.returncode == 3, proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("error: a path is "), lines
    assert "more than this system allows" in lines[0] and len(lines[0]) < 250
    assert lines[1].startswith("hint: Run it from a folder with a shorter path")
    assert "Traceback" not in proc.stdout + proc.stderr


def test_settings_warnings_are_in_the_json_document(project: Path) -> None:
    (project / ".env.local").write_text("JUSTAWORD\nCONVEX_URL=http://127.0.0.1:9\n")

    result = run_app("convex", "ping", "--json", "--timeout", "2", cwd=project)

    document = result.json()
    jsonschema.validate(document, OUTPUT_SCHEMA)
    assert document["settings_warnings"] == [
        ".env.local line 1: not NAME=value, so the Convex CLI (dotenv) skips this line. "
        "Write it as NAME=value, or start it with # to make it a comment."
    ]
    assert result.stderr == ""
