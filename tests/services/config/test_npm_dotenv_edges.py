"""npm_dotenv's edges: the shortest inputs on which a changed line of cli/services/config/npm_dotenv.py
reads differently (found by `make mutation` and differential fuzzing of each surviving mutant
against the original). Values must be npm dotenv 16.6.1's (lib/main.js `parse`, the version
node_modules/convex/dist/cli.bundle.cjs bundles and src/cli/lib/deploymentSelection.ts calls):
node reads the same bytes here. Definitions (key, value, first and last line) and notes are this
app's account of what dotenv does silently, as the module documents them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.services.config import npm_dotenv
from cli.services.config.npm_dotenv import Note
from tests.services.config.test_dotenv_node import node_dotenv

SKIPPED = "not NAME=value, so the Convex CLI (dotenv) skips this line"


def skipped(line: int) -> Note:
    return Note(line, "skipped", SKIPPED)


def unclosed(line: int, key: str) -> Note:
    message = (
        f"the quote that opens the value of {key} is not closed on its line, or text follows the "
        "closing quote, so the quotes stay in the value"
    )
    return Note(line, "unclosed-quote", message, key)


def not_utf8(line: int, key: str) -> Note:
    return Note(line, "not-utf8", f"the value of {key} holds bytes that are not UTF-8, read as U+FFFD", key)


def joined(line: int, key: str, value_line: int) -> Note:
    return Note(line, "joined", f"{key} on line {line} takes its value from line {value_line}", key)


# A file of plain lines only: read() answers it by its fast path (npm_dotenv._plain).
PLAIN = b"A=1\n# c\nexport B = x y # z\n"

# (the file's bytes, its definitions as (key, value, line, end line), its notes)
CASES: list[tuple[bytes, list[tuple[str, str, int, int]], list[Note]]] = [
    (b"A=X", [("A", "X", 1, 1)], []),
    (
        b"__proto__=",
        [("__proto__", "", 1, 1)],
        [
            Note(
                1,
                "dropped",
                "dotenv drops a setting named __proto__: the Convex CLI never sees it",
                "__proto__",
            )
        ],
    ),
    (
        b"A=\rA:\n",
        [("A", "", 1, 1), ("A", "", 2, 2)],
        [Note(2, "duplicate", "A is set again (first on line 1); the last one wins", "A")],
    ),
    (b'C=\n""', [("C", "", 1, 2)], [joined(1, "C", 2)]),
    (b'B="\xe2\x80\xa9Z="', [("B", "\u2029Z=", 1, 1)], []),
    (
        b"C: '\nK='",
        [("C", "\nK=", 1, 2)],
        [
            Note(
                1,
                "swallowed",
                "the quoted value of C runs from line 1 to line 2, over lines that read like settings, "
                "which are therefore not set",
                "C",
            )
        ],
    ),
    (b'y:\n\x1c"', [("y", '\x1c"', 1, 2)], [joined(1, "y", 2)]),
    (b"B= `", [("B", "`", 1, 1)], [unclosed(1, "B")]),
    (b"A: '", [("A", "'", 1, 1)], [unclosed(1, "A")]),
    (b"A: '\xff", [("A", "'\ufffd", 1, 1)], [unclosed(1, "A"), not_utf8(1, "A")]),
    (
        b"A=\x00",
        [("A", "\x00", 1, 1)],
        [Note(1, "nul", "the value of A holds a NUL character, where the Convex CLI cuts it", "A")],
    ),
    (b"A=\xef\xbb\xbf''", [("A", "", 1, 1)], []),
    (b"C:\xe2\x80\xa8A\n=", [("C", "A", 1, 1)], [skipped(2)]),
    (b"A: ``\xe2\x80\xa9\xff", [("A", "", 1, 1)], [skipped(1)]),
    (b"Z=#\xe2\x80\xa8\xff", [("Z", "", 1, 1)], [skipped(1)]),
    (b"A=\n`\xe2\x80\xa8K=``", [("A", "", 1, 1), ("K", "", 2, 2)], [skipped(2)]),
    (b'"\xe2\x80\xa8y="\\\xff', [("y", '"\\\ufffd', 1, 1)], [skipped(1), unclosed(1, "y"), not_utf8(1, "y")]),
    (b'B="\\"', [("B", "\\", 1, 1)], []),
    (b'B:\t"\\"', [("B", "\\", 1, 1)], []),
    (b"y='\\'#", [("y", "\\", 1, 1)], []),
    (b"A='\\'\n\\'\xff", [("A", "\\", 1, 1)], [skipped(2)]),
    (b"A='\\'\\'\n\\'\xff", [("A", "\\'\\", 1, 1)], [skipped(2)]),
    (b"A=x\xe2\x80\xa8''", [("A", "x\u2028", 1, 1)], []),
    (b"A=x\xe2\x80\xa8''\xe2\x80\xa8'\xff", [("A", "x\u2028\u2028'\ufffd", 1, 1)], [not_utf8(1, "A")]),
    (b'A=\'\xe2\x80\xa8""\xe2\x80\xa8`', [("A", "'\u2028\u2028`", 1, 1)], [unclosed(1, "A")]),
    (b"A=x\xe2\x80\xa8''\xe2\x80\xa8\xff", [("A", "x\u2028\u2028\ufffd", 1, 1)], [not_utf8(1, "A")]),
    (
        b"K" * 61 + b"=\xff",
        [("K" * 61, "\ufffd", 1, 1)],
        [
            Note(
                1,
                "not-utf8",
                f"the value of {'K' * 47}\u2026{'K' * 12} (61 characters) holds bytes that are not UTF-8, "
                "read as U+FFFD",
                "K" * 61,
            )
        ],
    ),
    (b"_:\n\xef\xbb\xbf", [("_", "", 1, 1)], []),
    (b"C\n=", [("C", "", 1, 2)], [joined(1, "C", 2)]),
    (b"C:\n", [("C", "", 1, 1)], []),
    (b"C:\n`\n`", [("C", "\n", 1, 3)], [joined(1, "C", 2)]),
    (b"\xc2\x85", [], [skipped(1)]),
    (b"\xff", [], [skipped(1)]),
    (PLAIN, [("A", "1", 1, 1), ("B", "x y", 3, 3)], []),
]


@pytest.mark.parametrize(
    ("data", "definitions", "notes"), CASES, ids=[f"case{number}" for number in range(len(CASES))]
)
def test_definitions_and_notes(
    data: bytes, definitions: list[tuple[str, str, int, int]], notes: list[Note]
) -> None:
    parsed = npm_dotenv.read(data)

    assert [tuple(d) for d in parsed.definitions] == definitions
    assert list(parsed.notes) == notes
    text = data.decode("utf-8", errors="replace")
    assert npm_dotenv.parse_with_notes(text, utf8=text.encode() == data).notes == parsed.notes


def test_values_are_what_dotenv_reads(tmp_path: Path) -> None:
    """Every case's bytes as a file, read by node's dotenv.config and by npm_dotenv."""
    paths = []
    for number, (data, _, _) in enumerate(CASES):
        paths.append(tmp_path / f"case{number}.env")
        paths[-1].write_bytes(data)

    results = node_dotenv({"mode": "files", "paths": [str(path) for path in paths]})

    for (data, _, _), result in zip(CASES, results, strict=True):
        expected = result["parsed"]
        assert npm_dotenv.read(data).values == expected, ascii(data)
        text = data.decode("utf-8", errors="replace")
        assert npm_dotenv.parse(text) == expected, ascii(data)
        assert npm_dotenv.parse_with_notes(text).values == expected, ascii(data)


def test_a_file_of_plain_lines_is_read_by_the_fast_path() -> None:
    """Every line, not only the first, and every new name, not only a repeated one, keeps a file
    of plain lines on the fast path, which answers as the full reader does."""
    text = PLAIN.decode()

    assert npm_dotenv._plain(text) == npm_dotenv.parse_with_notes(text)
