"""The npm dotenv port on its own: documented behaviours, notes with lines (never values), and
time linear in the input where dotenv's own regex is quadratic. test_dotenv_node.py compares the
values with the real dotenv."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest

from cli.services.config import npm_dotenv
from cli.services.config.npm_dotenv import parse, parse_with_notes


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("A=1\nB=${A}\nC=$A\n", {"A": "1", "B": "${A}", "C": "$A"}),  # no expansion
        ("\ufeffA=1\n", {"A": "1"}),  # a BOM is whitespace to JS
        ("A: v\nB:v\n", {"A": "v"}),  # `:` needs whitespace after it
        ("A=\"x\\ny\"\nB='x\\ny'\n", {"A": "x\ny", "B": "x\\ny"}),  # \n only in double quotes
        ("A=value#comment\nB='#kept'\n", {"A": "value", "B": "#kept"}),
        ("A=1\rB=2\r\nC=3\n", {"A": "1", "B": "2", "C": "3"}),  # lone CR ends a line
        ('A="never closed\nB=2\n', {"A": '"never closed', "B": "2"}),
        ('A="swallows\nB=2\n"\n', {"A": "swallows\nB=2\n"}),
        ("A:\nB=2\n", {"A": "B=2"}),
        ("A=\n'next line'\n", {"A": "next line"}),
        ("__proto__=x\nconstructor=y\n", {"constructor": "y"}),
        ("A=1\nA=2\n", {"A": "2"}),
        ("A=a\x00b\n", {"A": "a\x00b"}),  # parse keeps it; process.env cuts it (env_files)
    ],
)
def test_values(text: str, values: dict[str, str]) -> None:
    assert parse(text) == values
    assert parse_with_notes(text).values == values


SECRET = "s3cr3t-VALUE"


def notes_of(text: str) -> list[tuple[int, str]]:
    return [(note.line, note.kind) for note in parse_with_notes(text).notes]


@pytest.mark.parametrize(
    ("text", "notes"),
    [
        (f"# {SECRET}\n\nA={SECRET}\nexport B='{SECRET}' # c\n", []),
        (f"A=1\n{SECRET}\nB=2\n", [(2, "skipped")]),
        (f"A=1\n\n  CONVEX_URL {SECRET}\n", [(3, "skipped")]),
        (f'A="{SECRET}\nB=2\n', [(1, "unclosed-quote")]),
        (f"A='{SECRET}' junk\n", [(1, "unclosed-quote")]),
        (f'X=1\nA="{SECRET}\nB=2\nC=3"\nD=4\n', [(2, "swallowed")]),
        (f'PEM="-----BEGIN-----\n{SECRET}AB==\n-----END-----"\n', []),  # a multi-line value as meant
        (f"A\n={SECRET}\n", [(1, "joined")]),
        (f"A:\nB={SECRET}\n", [(1, "joined")]),
        (f"A=\n'{SECRET}'\n", [(1, "joined")]),
        (f"A={SECRET}\nB=2\nA=\n", [(3, "duplicate")]),
        (f"__proto__={SECRET}\n", [(1, "dropped")]),
        (f"A={SECRET}\x00tail\n", [(1, "nul")]),
        (f"A=1\r\n{SECRET}\rB=2\r\n{SECRET}\n", [(2, "skipped"), (4, "skipped")]),  # CRLF and CR
    ],
)
def test_notes_name_the_line_and_never_the_value(text: str, notes: list[tuple[int, str]]) -> None:
    parsed = parse_with_notes(text)

    assert notes_of(text) == notes
    for note in parsed.notes:
        assert SECRET not in note.message
        assert note.key is None or SECRET not in note.key


def test_bytes_that_are_not_utf8_are_noted_only_in_values() -> None:
    parsed = npm_dotenv.read(b"# caf\xe9\nA=caf\xe9\nB=\xef\xbf\xbd\n")

    assert parsed.values == {"A": "caf\ufffd", "B": "\ufffd"}
    notes = [(note.line, note.kind, note.key) for note in parsed.notes]
    assert notes == [(2, "not-utf8", "A"), (3, "not-utf8", "B")]
    # valid UTF-8 that holds U+FFFD itself is no byte problem
    assert npm_dotenv.read("B=\ufffd\n".encode()).notes == ()


def test_definitions_have_the_lines_split_lines_counts() -> None:
    text = 'A=1\r\nB="x\ny"\rC=3\n# c\nexport D=4'
    lines = npm_dotenv.split_lines(text)

    definitions = parse_with_notes(text).definitions

    spans = [(d.key, d.line, d.end_line) for d in definitions]
    assert spans == [("A", 1, 1), ("B", 2, 3), ("C", 4, 4), ("D", 6, 6)]
    assert [lines[d.line - 1].split("=")[0] for d in definitions] == ["A", "B", "C", "export D"]


# Inputs on which dotenv's regex backtracks quadratically, and an ordinary file.
SHAPES: dict[str, Callable[[int], str]] = {
    "plain": lambda n: "".join(f"KEY_{i}=value_{i}\n" for i in range(n)),
    "an unclosed quote on every line": lambda n: "".join(f'A{i}="x{i}\n' for i in range(n)),
    "escaped quotes, never closed": lambda n: 'A="' + 'x\\" y\n' * n,
    "a name, then blank lines": lambda n: "KEY" + "\n" * n + "x\nB=2\n",
    "a line that is not a setting": lambda n: "junk line\n" * n,
}


def cpu_seconds(work: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` runs, in CPU time: what other processes do barely counts."""
    best = float("inf")
    for _ in range(repeat):
        began = time.process_time()
        work()
        best = min(best, time.process_time() - began)
    return best


@pytest.mark.slow
def test_a_400k_line_file_parses_in_seconds() -> None:
    text = SHAPES["plain"](400_000)

    began = time.process_time()
    values = parse(text)
    spent = time.process_time() - began
    began = time.process_time()
    read = npm_dotenv.read(text.encode())  # what the settings reader runs, notes included
    spent_reading = time.process_time() - began

    assert len(values) == 400_000 and read.values == values and read.notes == ()
    assert spent < 5.0  # about 1 s on an idle machine
    assert spent_reading < 5.0


PLAIN_ATOMS = ["A", "B", "export ", "k.e-y", "=", " = ", " ", "\t", "\n", "\r\n", "\r", "#", " # c"]
PLAIN_ATOMS += ["x", "val", "a b", "__proto__", "'", "\u00e9", "\\n", "\\", ":"]


def test_plain_files_read_fast_as_the_full_reader_reads_them() -> None:
    """The fast path for files of plain lines gives what parse_with_notes gives, notes and
    lines included; any other file is left to it (a quote, a duplicate, a non-ASCII byte)."""
    rnd = random.Random(20_261_202)
    plain = 0
    for _ in range(20_000):
        case = "".join(rnd.choice(PLAIN_ATOMS) for _ in range(rnd.randint(0, 25)))
        fast = npm_dotenv._plain(case)
        if fast is not None:
            plain += 1
            assert fast == parse_with_notes(case), repr(case)
        assert npm_dotenv.read(case.encode()) == parse_with_notes(case), repr(case)
    assert plain > 1_000  # the fast path was really tried
    assert npm_dotenv._plain("A=1\nA=2\n") is None  # a duplicate is noted by the full reader
    assert npm_dotenv._plain("A='x'\n") is None


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_ten_times_the_input_takes_about_ten_times_as_long(shape: str) -> None:
    small, large = SHAPES[shape](5_000), SHAPES[shape](50_000)
    for parser in (parse, parse_with_notes):
        little = cpu_seconds(lambda: parser(small), 3)  # noqa: B023 (used at once)
        much = cpu_seconds(lambda: parser(large), 1)  # noqa: B023
        # linear: about 10x; quadratic would be 100x. The slack covers timer noise.
        assert much < 30 * little + 0.05, (parser.__name__, little, much)
