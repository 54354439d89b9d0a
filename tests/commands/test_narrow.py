"""Output that reads well from 40 columns up: the one wrapping rule (cli.shared.text), the
renderer that applies it, and the real app in a pseudo-terminal of 40 and 80 columns (a
failing check, dev's preflight, ping), against the same run in a pipe, where lines stay whole."""

from __future__ import annotations

import copy
import io
import json
import random
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from rich.cells import cell_len

from cli.commands.render import summary_line
from cli.services.convex.codegen.run import ModelFiles
from cli.shared.output import Hanging, Printable, error_lines, lines_text, plain
from cli.shared.report import CheckResult, Report, Status
from cli.shared.text import MIN_BODY, hanging_indent, wrap_hanging, wrap_spans
from tests.loopback.client import TestDeployment
from tests.support.project import (
    OUTPUT_SCHEMA,
    app_env,
    copy_project,
    project_schema,
    run_app,
    schema_export,
    write_schema,
)
from tests.support.standin import copy_project_with_standin_cli, standin_env
from tests.support.terminal import run_in_terminal

# -- the rule, on plain text ------------------------------------------------------------------

SENTENCE = "index users.by_id: the name is reserved (by_id, by_creation_time and names starting with _)"


def test_lines_break_between_words_and_hang_under_the_body() -> None:
    lines = wrap_hanging("error: ", SENTENCE, 40)

    assert lines == [
        "error: index users.by_id: the name is",
        "       reserved (by_id, by_creation_time",
        "       and names starting with _)",
    ]
    assert " ".join(line[7:] for line in lines) == SENTENCE  # nothing lost, nothing added


def test_a_path_code_or_url_that_fits_a_line_is_never_split() -> None:
    body = "see convex/schema.ts:45:6 then push/reserved-index at https://happy-otter-123.convex.cloud"

    lines = wrap_hanging("hint: ", body, 42)

    assert lines == [
        "hint: see convex/schema.ts:45:6 then",
        "      push/reserved-index at",
        "      https://happy-otter-123.convex.cloud",  # 42 columns
    ]


def test_a_url_too_wide_for_the_hanging_indent_but_not_the_terminal_is_whole_at_the_edge() -> None:
    body = "e.g. https://happy-otter-123.convex.cloud https://dashboard.convex.dev/d/happy-otter-123 or 3210"

    lines = wrap_hanging("hint: ", body, 40)

    assert lines == [
        "hint: e.g.",
        "    https://happy-otter-123.convex.cloud",  # 36 columns: 6 of indent would make 42
        "      https://dashboard.convex.dev/d/",  # 46 columns: wider than the terminal, split
        "      happy-otter-123 or 3210",
    ]


def test_a_token_wider_than_a_line_is_split_hard_after_a_slash_where_it_can() -> None:
    path = "/home/someone/projects/a-rather-long-folder-name/with_a_project_inside/convex"

    lines = wrap_hanging("Convex check · ", path, 40)

    assert all(cell_len(line) <= 40 for line in lines), lines
    assert lines[0] == "Convex check · /home/someone/projects/"
    assert lines[1:] == [  # each part as wide as a line, or ending after a '/'
        "               a-rather-long-folder-name",
        "               /with_a_project_inside/",
        "               convex",
    ]
    # Without a '/' where it would fill half the line, it is cut where the line ends.
    assert wrap_hanging("", "x" * 70, 30) == ["x" * 30, "  " + "x" * 28, "  " + "x" * 12]


def test_a_long_token_starts_on_a_new_line_when_less_than_half_a_line_is_left() -> None:
    token = "a" * 45

    lines = wrap_hanging("hint: ", f"read the words before it and then {token}", 40)

    assert lines == ["hint: read the words before it and then", "      " + "a" * 34, "      " + "a" * 11]


def test_no_line_ends_in_a_space() -> None:
    body = "words  with   several spaces    between them, and a prefix that ends in spaces"

    for width in range(1, 81):
        lines = wrap_hanging("      push/reserved-index  ", body, width)
        assert all(line == line.rstrip() for line in lines), (width, lines)
        assert all(cell_len(line) <= width for line in lines), (width, lines)


def test_a_prefix_that_leaves_too_little_room_hangs_the_body_two_columns_in() -> None:
    prefix = "      push/index-field-normalized  "  # 35 columns: 5 would be left for the body
    body = "convex/schema.ts:22:42: search field of index messages.search_content"

    assert hanging_indent(prefix, 40) == 8  # where the code starts, and two more
    assert hanging_indent(prefix, 80) == len(prefix)  # wide enough: under the body
    assert wrap_hanging(prefix, body, 40) == [
        "      push/index-field-normalized",  # the location cannot share the code's line
        "        convex/schema.ts:22:42: search",
        "        field of index",
        "        messages.search_content",
    ]
    assert 40 - hanging_indent(prefix, 40) >= MIN_BODY


def test_a_code_shares_its_line_with_what_follows_when_that_fits() -> None:
    prefix = "      push/reserved-index  "
    body = "convex/schema.ts:45:6: index prices.by_id: the name is reserved"

    assert wrap_hanging(prefix, body, 90) == [prefix + body]
    assert wrap_hanging(prefix, body, 52) == [
        "      push/reserved-index  convex/schema.ts:45:6:",
        "                           index prices.by_id: the",
        "                           name is reserved",
    ]
    # In a body too (dev's rounds): the code ends one line, or begins the next with its words.
    lines = wrap_hanging("app · ✘ ", "convex/schema.ts:11:45: push/reserved-index index users.by_id", 40)
    assert lines == [
        "app · ✘ convex/schema.ts:11:45:",
        "        push/reserved-index index",
        "        users.by_id",
    ]


def test_symbols_take_one_column_and_east_asian_wide_characters_two() -> None:
    symbols = wrap_hanging("    ✔  ", "✘·→ " * 8, 30)
    assert [cell_len(line) for line in symbols] == [len(line) for line in symbols]  # one column each
    assert symbols == ["    ✔  ✘·→ ✘·→ ✘·→ ✘·→ ✘·→ ✘·→", "       ✘·→ ✘·→"]  # filled to the last column

    wide = wrap_hanging("· ", "漢字" * 10 + " 表示", 30)
    assert wide == ["· " + "漢字" * 7, "  漢字漢字漢字 表示"]  # 14 characters fill 28 columns
    assert [cell_len(line) for line in wide] == [30, 19]


def test_lines_of_a_body_each_start_under_it() -> None:
    assert wrap_hanging("error: ", "first line\nsecond line", 40) == [
        "error: first line",
        "       second line",
    ]
    assert wrap_spans("ab\n\ncd", 10, 10) == [(0, 2), (3, 3), (4, 6)]


def test_leading_spaces_are_kept_and_a_width_too_small_still_makes_progress() -> None:
    assert wrap_spans("  two words", 40, 40) == [(0, 11)]
    assert wrap_hanging("", "abc", 1) == ["a", "b", "c"]
    assert wrap_hanging("a prefix wider than the line ", "and its body", 12) == [
        "a prefix",
        "wider than",
        "the line and",
        "its body",
    ]


WORDS = [
    "a",
    "of",
    "index",
    "push/reserved-index",
    "convex/schema.ts:45:6:",
    "https://happy-otter-123.convex.cloud",
    "cli/services/convex/models/documents.py",
    "漢字表示",
    "✔",
    "·",
    "/tmp/some-rather-long-folder-name/with_a_project_inside/project",
]


def test_the_rule_holds_for_any_words_prefix_and_width() -> None:
    draw = random.Random(19)
    for _ in range(3000):
        words = [draw.choice(WORDS) for _ in range(draw.randint(0, 14))]
        body = " ".join(words)
        prefix = draw.choice(
            ["", "error: ", "  ✘ push rules   ", "      contract/missing-index  ", "x" * 29 + " "]
        )
        width = draw.randint(1, 100)

        lines = wrap_hanging(prefix, body, width)

        assert all(cell_len(line) <= width for line in lines if width > 1), (prefix, body, width, lines)
        assert all(line == line.rstrip() for line in lines)
        assert "".join(lines).replace(" ", "") == (prefix + body).replace(" ", "")  # nothing lost
        if prefix and cell_len(prefix) <= width:
            # Every word that fits the terminal's width is whole: one wider than the hanging
            # room has a line of its own, starting further left.
            whole = [word for word in words if cell_len(word) <= width]
            assert all(any(word in line.split(" ") for line in lines) for word in whole), (width, lines)
            hang = hanging_indent(prefix, width)
            for line in lines[1:]:
                indent = len(line) - len(line.lstrip(" "))
                if indent != hang:  # only a word too wide for the hanging room, ending at the edge
                    assert " " not in line.strip() and indent < hang, (hang, lines)
                    assert cell_len(line) == width, (width, lines)


# -- the renderer: the rule on a terminal ---------------------------------------------------


class FakeTerminal(io.StringIO):
    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


STYLE = re.compile(r"\x1b\[[0-9;]*m")
Show = Callable[[Sequence[Printable]], list[str]]


@pytest.fixture
def show(monkeypatch: pytest.MonkeyPatch) -> Show:
    """The lines as a terminal of 40 columns shows them (styles left out)."""
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("TERM", "xterm-256color")

    def shown(lines: Sequence[Printable]) -> list[str]:
        with monkeypatch.context() as patch:  # pytest sets sys.stdout again after fixtures
            patch.setattr(sys, "stdout", FakeTerminal())
            return STYLE.sub("", lines_text(lines)).splitlines()

    return shown


def test_plain_lines_wrap_two_columns_in_and_hanging_ones_under_the_body(show: Show) -> None:
    lines: list[Printable] = [
        [("4/8 checks passed", "bold red"), " (2 failed, 2 skipped) in 0.26 s"],
        Hanging([("hint: ", "bold")], ["Set CONVEX_URL to the deployment's URL alone"]),
    ]

    assert show(lines) == [
        "4/8 checks passed (2 failed, 2 skipped)",
        "  in 0.26 s",
        "hint: Set CONVEX_URL to the deployment's",
        "      URL alone",
    ]


def test_styles_go_on_across_a_break(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "24")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setattr(sys, "stdout", FakeTerminal())
    line = Hanging(["  "], [("push/reserved-index and more words", "cyan")])

    text = lines_text([line])

    assert text.count("\x1b[36m") == 2, repr(text)  # each line's part of it is cyan
    assert STYLE.sub("", text).splitlines() == ["  push/reserved-index", "  and more words"]


def test_dev_rounds_and_watch_lines_wrap_at_40_columns(show: Show) -> None:
    from cli.commands.render import round_lines, since_lines
    from cli.services.convex.check.watch import Since
    from cli.services.convex.dev.live import Round
    from cli.shared.report import Finding

    reserved = Finding(
        "push/reserved-index",
        "index users.by_id: the name is reserved (by_id, by_creation_time and names starting with _ "
        "belong to the system)",
        file="convex/schema.ts",
        line=11,
        column=45,
    )

    assert show(round_lines(Round(["convex/schema.ts"], findings=[reserved]), None)) == [
        "app · ✘ convex/schema.ts:11:45:",
        "        push/reserved-index index",
        "        users.by_id: the name is",
        "        reserved (by_id,",
        "        by_creation_time and names",
        "        starting with _ belong to the",
        "        system)",
        "app · the backend will refuse this push:",
        "      change what the findings above",
        "      name (models unchanged)",
    ]
    assert show(since_lines(Since([("push rules", "passed", "failed")], [], [reserved], ""))) == [
        "since the last run: push rules passed →",
        "                    failed",
        "  + push/reserved-index",
        "    convex/schema.ts:11:45: index",
        "    users.by_id: the name is reserved",
        "    (by_id, by_creation_time and names",
        "    starting with _ belong to the",
        "    system)",
    ]


def test_error_lines_hang_under_their_message(show: Show) -> None:
    lines = error_lines("CONVEX_URL from --url is not a deployment URL", "Set CONVEX_URL to the URL alone.")

    assert show(lines) == [
        "error: CONVEX_URL from --url is not a",
        "       deployment URL",
        "hint: Set CONVEX_URL to the URL alone.",
    ]
    assert [plain(line) for line in lines] == [  # one line each elsewhere, as before
        "error: CONVEX_URL from --url is not a deployment URL",
        "hint: Set CONVEX_URL to the URL alone.",
    ]
    assert len(error_lines("no hint", None)) == 1


# -- the real app in a terminal of 40 and 80 columns ---------------------------------------

ESCAPE = re.compile(r"\x1b\[([0-9;?]*)[ -/]*([@-~])|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]|\r|\n|[^\x1b\r\n]+")


def screen(data: bytes) -> list[str]:
    """The lines a terminal shows after `data`, scrolled-off ones included: text, carriage
    return, line feed, cursor up and erase in line (what rich's live display sends); other
    escapes change nothing here. No line wraps by itself, so one too long stays visible."""
    rows: list[str] = [""]
    row = col = 0
    for match in ESCAPE.finditer(data.decode()):
        token = match[0]
        if token == "\r":
            col = 0
        elif token == "\n":
            row += 1
            rows += [""] * (row + 1 - len(rows))
        elif token.startswith("\x1b["):
            count = int(match[1]) if match[1].isdigit() else 0
            if match[2] == "A":
                row = max(0, row - max(count, 1))
            elif match[2] == "K":
                rows[row] = "" if count == 2 else rows[row][:col] if count == 0 else rows[row][col:]
        elif not token.startswith("\x1b"):
            line = rows[row].ljust(col)
            rows[row] = line[:col] + token + line[col + len(token) :]
            col += len(token)
    return [row for row in rows if row.strip()]


def run_shown(args: list[str], cwd: Path, env: dict[str, str], columns: int | None) -> tuple[int, bytes]:
    """Run the app with stdout and stderr on one pseudo-terminal of `columns` columns (its
    size set as `stty` would, and COLUMNS), or on one pipe (None); its exit code and output."""
    if columns is not None:
        env = {**env, "COLUMNS": str(columns), "LINES": "50", "TERM": "xterm-256color"}
    shown = run_in_terminal(
        args, cwd, env, timeout=60, wait=20, columns=columns, rows=50, pipe=columns is None
    )
    return shown.returncode, shown.data


@dataclass
class Shown:
    """One line of the output, as the pipe has it, and the terminal lines that show it."""

    text: str
    lines: list[str]
    indent: int | None  # where its continuation lines start (None: it took one line)


def mask(text: str) -> str:
    """Numbers as '#': timings and latencies differ between two runs."""
    return re.sub(r"\d+", "#", text)


def follow(piped: list[str], shown: list[str], width: int) -> list[Shown]:
    """Each line of the pipe's output found in the terminal's, asserting the wrapping rule:
    nothing lost or added, no line wider than `width` columns or ending in a space, every
    continuation of a line at one indent (but for a word too wide for it, which ends at the
    last column instead of being split), a break inside a word only where that word is wider
    than the terminal, and no break where the next word would still have fit."""
    assert shown, "the terminal showed nothing"
    for line in shown:
        assert cell_len(line) <= width, (width, line)
        assert line == line.rstrip(), repr(line)
    found: list[Shown] = []
    at = 0
    for text in piped:
        whole = mask(text.rstrip())
        first = shown[at]
        assert whole.startswith(mask(first)), (text, first)
        rest = whole[len(mask(first)) :]
        this = Shown(text, [first], None)
        at += 1
        joined = first  # the line as its breaks give it back, '\0' where a word was split
        # Each break between words: the line before it, the spaces dropped, where the next word starts.
        soft: list[tuple[str, int, int]] = []
        while rest:
            line = shown[at]
            at += 1
            indent = len(line) - len(line.lstrip(" "))
            body = line[indent:]
            outdented = this.indent is not None and indent < this.indent and " " not in body
            if outdented:  # a word too wide for the hanging indent, whole at the right edge
                assert cell_len(line) == width, (text, line)
            else:
                assert this.indent in (None, indent), (text, this.lines, line)
                this.indent = indent
            gap = len(rest) - len(rest.lstrip(" "))
            piece = mask(body)
            if not gap and piece[0] == "#" != rest[0] and mask(this.lines[-1]).endswith("#"):
                piece = piece[1:]  # the rest of a number split between the lines
            assert body and rest[gap:].startswith(piece), (text, line)
            if gap:
                soft.append((this.lines[-1], gap, len(joined) + gap))
            joined += " " * gap + body if gap else "\0" + body
            rest = rest[gap + len(piece) :]
            this.lines.append(line)
        room = width - (this.indent or 0)
        for token in re.findall(r"[^ ]*\0[^ ]*", joined):  # split hard: only a word wider than a line
            assert cell_len(token.replace("\0", "")) > width, (text, token)
        for before, gap, start in soft:  # broken early: the next word would have fit
            word = joined[start:].split(" ")[0].replace("\0", "")
            if cell_len(word) <= room:
                assert cell_len(before) + gap + cell_len(word) > width, f"{word!r} fits on {before!r}"
        found.append(this)
    assert at == len(shown), shown[at:]
    return found


def line_with(found: list[Shown], text: str) -> Shown:
    return next(shown for shown in found if text in shown.text)


def hangs(shown: Shown, indent: int) -> bool:
    """Whether the line's continuations start at `indent` (or it needed none)."""
    return shown.indent == (indent if len(shown.lines) > 1 else None)


def check_line(found: list[Shown], name: str) -> Shown:
    """A check's line: its symbol, its name, its message."""
    return next(shown for shown in found if re.match(rf"  \S {name}  ", shown.text))


def both_ways(args: list[str], cwd: Path, env: dict[str, str], width: int) -> tuple[int, list[Shown]]:
    """The app's output in a terminal of `width` columns, followed against a pipe's."""
    piped_code, piped = run_shown(args, cwd, env, None)
    code, data = run_shown(args, cwd, {k: v for k, v in env.items() if k != "NO_COLOR"}, width)
    assert code == piped_code, data
    assert b"\x1b[" in data  # rendered for a terminal (styles), not as a pipe's plain lines
    piped_lines = [line for line in piped.decode().splitlines() if line.strip()]
    assert max(cell_len(line) for line in piped_lines) > width  # a pipe's lines stay whole
    return code, follow(piped_lines, screen(data), width)


WIDTHS = [40, 80]


@pytest.fixture
def failing_project(tmp_path: Path) -> Path:
    """A project in a deep folder whose schema has a reserved index name, a search field that
    is not in the document, and a missing contract index."""
    project = copy_project(tmp_path / "some-rather-long-folder-name" / "with_a_project_inside" / "project")
    schema = project_schema().replace('.index("by_symbol", ["symbol"])', '.index("by_id", ["symbol"])')
    schema = schema.replace(
        '}).index("by_created", ["created_at"]),\n\n  agents',
        '}).index("by_created", ["created_at"])'
        '.searchIndex("search_content", { searchField: ".search_content" }),\n\n  agents',
    )
    write_schema(project, schema)
    return project


@pytest.mark.parametrize("width", WIDTHS)
def test_a_failing_check(failing_project: Path, width: int) -> None:
    code, found = both_ways(["convex", "check", "--no-typecheck"], failing_project, app_env(), width)

    assert code == 1
    header = found[0]
    assert header.text.startswith("Convex check · ") and header.indent == len("Convex check · ")
    for name in ("layout", "push rules", "contract", "env example"):
        check = check_line(found, name)
        assert hangs(check, len("  ✘ env example  ")), check  # under the check's message
        assert (len(check.lines) > 1) == (width == 40)  # at 80 columns each takes one line
    reserved = line_with(found, "push/reserved-index")
    if width == 40:  # its location cannot share the code's line: it hangs two columns in
        assert reserved.lines[0] == "      push/reserved-index" and reserved.indent == 8
    else:
        assert reserved.lines[0].startswith("      push/reserved-index  convex/schema.ts:45:6: index")
        assert reserved.indent == len("      push/reserved-index  ")
    assert hangs(line_with(found, "→ Change what each finding names"), len("      → "))
    summary = found[-1]
    assert summary.text.startswith("4/8 checks passed") and hangs(summary, 2)


@pytest.fixture
def dev_project(tmp_path: Path) -> Path:
    """A project with the stand-in convex CLI, a schema the backend accepts with a warning,
    and a production deploy key for another deployment than CONVEX_DEPLOYMENT names."""
    project = copy_project_with_standin_cli(tmp_path / "some-rather-long-folder-name" / "dev-project")
    write_schema(
        project,
        project_schema().replace(
            "bio: v.optional(v.string()),",
            "bio: v.optional(v.string()),\n    _private_note: v.optional(v.string()),",
        ),
    )
    (project / ".env.local").write_text(
        "CONVEX_DEPLOYMENT=dev:happy-otter-123\nCONVEX_DEPLOY_KEY=prod:other-deployment-456|c2VjcmV0\n"
    )
    return project


@pytest.mark.parametrize("width", WIDTHS)
def test_the_preflight_of_dev(dev_project: Path, width: int) -> None:
    # --once, and the stand-in exits 0 without saying the functions are ready: an error too.
    code, found = both_ways(["convex", "dev", "--once"], dev_project, standin_env(dev_project), width)

    assert code == 1
    assert found[0].text.startswith("Convex dev · ") and found[0].indent == len("Convex dev · ")
    for label in ("check", "target", "running"):
        assert hangs(line_with(found, f"  {label}  "), len("  target   "))
    assert len(line_with(found, "  target   ").lines) == (3 if width == 40 else 1)
    warnings = [shown for shown in found if shown.text.startswith("warning: ")]
    assert len(warnings) == 2 and all(shown.indent == len("warning: ") for shown in warnings)
    assert hangs(line_with(found, "error: "), len("error: "))
    assert hangs(line_with(found, "hint: "), len("hint: "))
    system_field = line_with(found, "push/system-field")
    assert system_field.indent == (8 if width == 40 else len("      push/system-field  "))


@pytest.mark.parametrize("width", WIDTHS)
def test_dev_stopped_by_a_failing_check(failing_project: Path, width: int) -> None:
    project = copy_project_with_standin_cli(failing_project.parent / "standin")
    write_schema(project, (failing_project / "convex" / "schema.ts").read_text())

    code, found = both_ways(["convex", "dev"], project, standin_env(project), width)

    assert code == 1
    error = line_with(found, "error: the schema check failed")
    assert hangs(error, len("error: ")) and len(error.lines) == (2 if width == 40 else 1)
    assert hangs(line_with(found, "hint: "), len("hint: "))


@pytest.mark.parametrize("width", WIDTHS)
def test_ping_of_a_deployment_that_drifted(
    project: Path, test_deployment: TestDeployment, width: int
) -> None:
    deployed = copy.deepcopy(schema_export(project))
    users = next(t for t in deployed["tables"] if t["tableName"] == "users")
    users["documentType"]["value"]["username"]["fieldType"] = {"type": "number"}
    test_deployment.set_schema(json.dumps(deployed))

    code, found = both_ways(["convex", "ping", "--url", test_deployment.url], project, app_env(), width)

    assert code == 1
    assert found[0].lines[0].startswith(f"Convex ping · {test_deployment.url}")  # the URL whole
    for name in ("reachable", "functions", "schema   "):
        assert hangs(check_line(found, name), len("  ✘ reachable  "))
    drift = line_with(found, "drift/field-type")
    assert drift.indent == (8 if width == 40 else len("      drift/field-type  "))
    assert hangs(line_with(found, "dashboard  "), len("    reachable  "))


@pytest.mark.parametrize("width", WIDTHS)
def test_ping_of_a_deployment_that_does_not_answer(project: Path, refused_url: str, width: int) -> None:
    code, found = both_ways(
        ["convex", "ping", "--url", refused_url, "--timeout", "2"], project, app_env(), width
    )

    assert code == 4
    unreachable = check_line(found, "reachable")
    assert hangs(unreachable, len("  ✘ reachable  ")) and len(unreachable.lines) == (3 if width == 40 else 1)
    assert hangs(line_with(found, "→ "), len("      → "))


@pytest.mark.parametrize("width", WIDTHS)
def test_an_error_and_its_hint(project: Path, width: int) -> None:
    url = "http://127.0.0.1:9/some/very/long/path/that/goes/on/and/on"

    code, found = both_ways(["convex", "ping", "--url", url], project, app_env(), width)

    assert code == 3
    assert [shown.text.split(":")[0] for shown in found] == ["error", "hint"]
    assert [shown.indent for shown in found] == [len("error: "), len("hint: ")]


# -- codegen's last line says what it did ----------------------------------------------------

SUMMARY = re.compile(r"(?m)^(.*) in \d+\.\d\d s$")


def last_line(stdout: str) -> str:
    match = SUMMARY.findall(stdout.rstrip().splitlines()[-1])
    assert match, stdout
    return str(match[0])


@pytest.fixture
def changed_schema(project: Path) -> Iterator[Path]:
    write_schema(
        project,
        project_schema().replace(
            "bio: v.optional(v.string()),", "bio: v.optional(v.string()),\n    nickname: v.string(),"
        ),
    )
    yield project


def codegen_line(models: ModelFiles, *statuses: Status) -> str:
    checks = tuple(CheckResult(f"check {i}", status, "said") for i, status in enumerate(statuses))
    return plain(summary_line(Report("/project", checks, 0.8412, models)))


def test_codegen_says_what_it_did_with_the_files() -> None:
    models = "cli/services/convex/models"
    both = (f"{models}/documents.py", f"{models}/functions.py")
    passed, failed, warning, skipped = Status.PASSED, Status.FAILED, Status.WARNING, Status.SKIPPED

    assert codegen_line(ModelFiles(False, both, both), passed) == "wrote documents.py, functions.py in 0.84 s"
    assert codegen_line(ModelFiles(False, both), passed) == "models current (2 files) in 0.84 s"
    assert (
        codegen_line(ModelFiles(True, both), warning, passed)
        == "models current (2 files, 1 warning) in 0.84 s"
    )
    assert (
        codegen_line(ModelFiles(False, both, both[:1]), warning) == "wrote documents.py (1 warning) in 0.84 s"
    )
    assert codegen_line(ModelFiles(True, both, stale=both), failed) == (
        "--check found documents.py, functions.py stale in 0.84 s"
    )
    assert (
        codegen_line(ModelFiles(False), failed, skipped, skipped)
        == "wrote nothing (1 failed, 2 skipped) in 0.84 s"
    )
    assert codegen_line(ModelFiles(False, both, both[:1]), passed, failed) == (
        "wrote only documents.py (1 failed) in 0.84 s"
    )
    # Other reports still count their checks.
    checks = (CheckResult("a", passed, "said"), CheckResult("b", skipped, "said"))
    assert (
        plain(summary_line(Report("/project", checks, 0.5, None)))
        == "1/2 checks passed (1 skipped) in 0.50 s"
    )


def test_codegen_says_which_files_it_wrote_or_that_they_are_current(changed_schema: Path) -> None:
    project = changed_schema

    stale = run_app("convex", "codegen", "--check", cwd=project)
    wrote = run_app("convex", "codegen", cwd=project)
    current = run_app("convex", "codegen", cwd=project)

    assert stale.returncode == 1 and last_line(stale.stdout) == "--check found documents.py stale"
    assert wrote.returncode == 0 and last_line(wrote.stdout) == "wrote documents.py"
    assert "checks passed" not in wrote.stdout
    files = len(list((project / "cli" / "services" / "convex" / "models").glob("*.py")))
    assert current.returncode == 0 and last_line(current.stdout) == f"models current ({files} files)"


def test_codegen_that_fails_says_it_wrote_nothing(project: Path) -> None:
    write_schema(
        project, project_schema().replace('.index("by_symbol", ["symbol"])', '.index("by_id", ["symbol"])')
    )

    result = run_app("convex", "codegen", cwd=project)

    assert result.returncode == 1
    assert last_line(result.stdout) == "wrote nothing (1 failed, 2 skipped)"


def test_codegen_json_keeps_its_documented_shape(changed_schema: Path) -> None:
    documents: list[dict[str, Any]] = [
        run_app("convex", "codegen", *args, "--json", cwd=changed_schema).json()
        for args in (["--check"], [], [])
    ]

    for document in documents:
        jsonschema.validate(document, OUTPUT_SCHEMA)
    stale, wrote, current = ({c["name"]: c for c in d["checks"]}["models"] for d in documents)
    assert [f["code"] for f in stale["findings"]] == ["models/stale"]
    assert wrote["message"] == "wrote cli/services/convex/models/documents.py"
    assert current["message"].startswith("cli/services/convex/models/ is current")
