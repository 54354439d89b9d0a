"""The .env format exactly as npm dotenv 16.6.1 reads it, in linear time, with notes.

The pinned Convex CLI (npm convex 1.48.0) bundles dotenv 16.6.1 into dist/cli.bundle.cjs and
loads settings with `dotenv.config({path: ".env.local"}); dotenv.config();`
(src/cli/lib/deploymentSelection.ts). Its `parse` (lib/main.js, unchanged from 16.4.7 to 16.6.1)
is one regex (a single line there) applied over and over to the text, in which CRLF and
lone CR have become LF:

    const LINE = /(?:^|^)\\s*(?:export\\s+)?([\\w.-]+)(?:\\s*=\\s*?|:\\s+?)(\\s*'(?:\\\\'|[^'])*'|
                  \\s*"(?:\\\\"|[^"])*"|\\s*`(?:\\\\`|[^`])*`|[^#\\r\\n]+)?\\s*(?:#.*)?(?:$|$)/mg

after which each value is trimmed, one pair of surrounding quotes is removed
(`/^(['"`])([\\s\\S]*)\\1$/mg`) and, when it began with `"`, `\\n` and `\\r` become LF and CR.
`obj[key] = value` silently drops `__proto__`; there is no `${VAR}` expansion.

JS regex semantics differ from Python's `re`, and are emulated here:
  * `\\s` and `trim()` are JS_WHITESPACE: unlike Python they include U+FEFF (a BOM) and exclude
    U+001C-U+001F and U+0085; `\\w` is ASCII only;
  * under /m, `^` and `$` hold around LF, U+2028 and U+2029 (CR is gone), and `.` stops at them.

The JS regex backtracks quadratically on an unclosed quote (every later line start rescans to
the end) and on a bare name followed by many blank lines. This port gets the same answer in
O(n): once a name and its separator matched, the rest of the regex always matches, and which
closing quote the backtracking settles on depends only on the text to the right of that quote.

`parse` gives exactly dotenv's values; `read` also decodes bytes as node's
`readFileSync(path, "utf8")` does and notes, with line numbers, what dotenv does silently
(Note.kind). Notes name keys, never values or the text of a line: a line may hold a secret.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Literal, NamedTuple

from cli.shared.text import shorten

JS_WHITESPACE: Final = (
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_WHITESPACE_SET: Final = frozenset(JS_WHITESPACE)
_LINE_TERMINATORS: Final = "\n\u2028\u2029"  # what JS /m treats as line ends once CR is gone
_QUOTES: Final = "'\"`"
_QUOTE_SET: Final = frozenset(_QUOTES)
_WS: Final = "[" + re.escape(JS_WHITESPACE) + "]"

# ^\s*(?:export\s+)?([\w.-]+)(?:\s*=|:\s) (the lazy `\s*?` and `\s+?` of LINE never grow), then
# the candidate for LINE's unquoted alternative [^#\r\n]+ (CR is gone; empty allowed here)
_SETTING: Final = re.compile(rf"{_WS}*(?:export{_WS}+)?([A-Za-z0-9_.\-]+)(?:{_WS}*=|:{_WS})([^#\n]*)")
_WS_RUN: Final = re.compile(f"{_WS}*")
_LINE_END: Final = re.compile("[\n\u2028\u2029]")
_NEWLINES: Final = re.compile(r"\r\n?")
# A line inside a multi-line quoted value that reads like a setting: the quote swallowed it.
# Upper-case names only, so that base64 (a PEM key's `...AB==`) is not taken for one.
_SETTING_LIKE: Final = re.compile(rf"[\n\u2028\u2029]{_WS}*(?:export{_WS}+)?[A-Z_][A-Z0-9_]*{_WS}*=")

NoteKind = Literal[
    "skipped",  # a line that is neither a setting, a comment nor blank
    "joined",  # a name whose `=` or value is on a later line
    "swallowed",  # a quoted value running over lines that read like settings
    "unclosed-quote",  # a value starting with a quote that does not close: quotes kept
    "duplicate",  # a name set again: the last one wins
    "dropped",  # __proto__, which dotenv cannot set
    "nul",  # a NUL character: process.env cuts the value there
    "not-utf8",  # bytes that are not UTF-8, read as U+FFFD
]


class Definition(NamedTuple):  # a tuple: one per line of a long file
    key: str
    value: str  # exactly dotenv's value
    line: int  # 1-based line of the name (LF, CRLF and a lone CR each end a line)
    end_line: int  # last line of the value (greater for multi-line values)


class Note(NamedTuple):
    line: int
    kind: NoteKind
    message: str  # names the key, never the value
    key: str | None = None


@dataclass(frozen=True)
class Parsed:
    values: dict[str, str]  # exactly dotenv.parse's result
    definitions: tuple[Definition, ...]  # every match in file order (duplicates and __proto__ too)
    notes: tuple[Note, ...]  # in line order


def decode(data: bytes) -> str:
    """As node's `readFileSync(path, "utf8")`: each maximal invalid subpart becomes U+FFFD (the
    WHATWG rule, which Python's "replace" follows); a leading BOM is kept (dotenv skips it as
    whitespace)."""
    return data.decode("utf-8", errors="replace")


def parse(text: str) -> dict[str, str]:
    """Exactly npm dotenv 16.6.1's `parse(text)`."""
    values: dict[str, str] = {}
    for key, raw, *_ in _matches(_NEWLINES.sub("\n", text)):
        if key != "__proto__":  # JS: obj["__proto__"] = "x" sets nothing
            values[key] = _finish(raw)
    return values


def read(data: bytes) -> Parsed:
    """A .env file's bytes as the Convex CLI reads them, with notes on what dotenv does silently."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return parse_with_notes(decode(data), utf8=False)
    return _plain(text) or parse_with_notes(text)


# A file of nothing but plain lines: blank, `# comment`, or `[export ]NAME=value [# comment]` in
# printable ASCII with no quote anywhere. On such text LINE's one-line unquoted alternative is
# the only one that can match, values are what precedes `#` trimmed of spaces and tabs, and
# dotenv does nothing silently, so one regex pass gives what parse_with_notes gives, faster.
_PLAIN_CHAR: Final = "\t\x20\x21\x24-\x26\x28-\x5f\x61-\x7e"  # printable ASCII but # ' " `
_PLAIN_SETTING: Final = rf"[ \t]*(?:export[ \t]+)?([A-Za-z0-9_.\-]+)[ \t]*=([{_PLAIN_CHAR}]*)"
_PLAIN_LINE: Final = re.compile(rf"(?:{_PLAIN_SETTING})?[ \t]*(?:#[\t\x20-\x7e]*)?(?:\n|\Z)")


def _plain(text: str) -> Parsed | None:
    """parse_with_notes's answer for a file of plain lines only; None for any other file."""
    t = _NEWLINES.sub("\n", text)
    values: dict[str, str] = {}
    definitions: list[Definition] = []
    at, line = 0, 0
    while at < len(t):
        match = _PLAIN_LINE.match(t, at)
        if match is None or match.end() == at:
            return None
        line += 1
        at = match.end()
        key, raw = match.group(1, 2)
        if key is None:
            continue
        if key in values or key == "__proto__":
            return None  # noted by the full reader
        value = raw.strip(" \t")
        values[key] = value
        definitions.append(Definition(key, value, line, line))
    return Parsed(values, tuple(definitions), ())


def parse_with_notes(text: str, *, utf8: bool = True) -> Parsed:
    """`parse` plus definitions and notes with line numbers. `utf8=False` when the text was
    decoded from invalid bytes: a U+FFFD in a value is then noted."""
    t = _NEWLINES.sub("\n", text)
    lines = _LineCounter(t)
    values: dict[str, str] = {}
    definitions: list[Definition] = []
    notes: list[Note] = []
    first_line: dict[str, int] = {}
    gap = 0  # where the text no match took begins
    for key, raw, start, key_start, s, end, quoted in _matches(t):
        _note_skipped(t, gap, start, lines, notes)
        gap = end
        value = _finish(raw)
        line = lines.at(key_start)
        if t.count("\n", key_start, end) == 0:
            value_line = end_line = line  # the usual one-line setting
        else:
            value_line, end_line = _value_lines(t, raw, s, lines)
        definitions.append(Definition(key, value, line, end_line))
        if key == "__proto__":
            message = "dotenv drops a setting named __proto__: the Convex CLI never sees it"
            notes.append(Note(line, "dropped", message, key))
            continue
        values[key] = value
        if key in first_line:
            message = f"{_shown(key)} is set again (first on line {first_line[key]}); the last one wins"
            notes.append(Note(line, "duplicate", message, key))
        else:
            first_line[key] = line
        if value_line > line:
            message = f"{_shown(key)} on line {line} takes its value from line {value_line}"
            notes.append(Note(line, "joined", message, key))
        if quoted and end_line > value_line and _SETTING_LIKE.search(raw) is not None:
            message = (
                f"the quoted value of {_shown(key)} runs from line {value_line} to line {end_line}, "
                "over lines that read like settings, which are therefore not set"
            )
            notes.append(Note(value_line, "swallowed", message, key))
        if not quoted and raw.lstrip(JS_WHITESPACE)[:1] in _QUOTE_SET:
            message = (
                f"the quote that opens the value of {_shown(key)} is not closed on its line, or "
                "text follows the closing quote, so the quotes stay in the value"
            )
            notes.append(Note(value_line, "unclosed-quote", message, key))
        if "\x00" in value:
            message = f"the value of {_shown(key)} holds a NUL character, where the Convex CLI cuts it"
            notes.append(Note(line, "nul", message, key))
        if not utf8 and "\ufffd" in value:
            message = f"the value of {_shown(key)} holds bytes that are not UTF-8, read as U+FFFD"
            notes.append(Note(line, "not-utf8", message, key))
    _note_skipped(t, gap, len(t), lines, notes)
    notes.sort(key=lambda note: note.line)  # stable: a line's notes keep their order
    return Parsed(values, tuple(definitions), tuple(notes))


def split_lines(text: str) -> list[str]:
    """The text's lines as the line numbers of `Definition` and `Note` count them."""
    return _NEWLINES.sub("\n", text).split("\n")


# -- the matcher --------------------------------------------------------------------------------

# key, raw (LINE's value group, untrimmed; "" when it took no part), where LINE's match starts
# (leading whitespace, maybe blank lines, included), where the key starts, where raw starts,
# where the match ends, and whether raw is a closed quoted value. A tuple: one per line.
_Match = tuple[str, str, int, int, int, int, bool]


def _matches(t: str) -> Iterator[_Match]:
    """LINE.exec over t (CR already gone), match after match."""
    scan = _Scanner(t)
    n = len(t)
    setting = _SETTING.match
    p = 0
    while p <= n:
        if p > 0 and t[p - 1] not in _LINE_TERMINATORS:  # not a /m `^` position
            ahead = scan.next_line_end(p)
            if ahead >= n:
                return
            p = ahead + 1
            continue
        m = setting(t, p)
        if m is None:
            # every `^` inside the leading whitespace fails the same way: skip past it
            ahead = scan.next_line_end(scan.ws_end(p))
            if ahead >= n:
                return
            p = ahead + 1
            continue
        s, u = m.span(2)
        raw = m.group(2)  # [^#\r\n]+, LINE's last alternative, unless a quoted one matches
        stripped = raw.lstrip(JS_WHITESPACE)
        if stripped and stripped[0] not in _QUOTE_SET:
            end = scan.tail(u)  # a quoted alternative needs a quote after the whitespace
            quoted = False
        else:
            v = scan.ws_end(s)  # may run over line ends: `A=` then `"x"` on the next line
            close = -1
            if v < n and t[v] in _QUOTE_SET:
                close, end = scan.quoted_close(t[v], v)
            if close != -1:
                raw, quoted = t[s : close + 1], True
            else:
                end, quoted = scan.tail(u), False
        yield m.group(1), raw, p, m.start(1), s, end, quoted
        # the usual case: the match ended at the LF that ends its line
        p = end + 1 if end < n and t[end] == "\n" else max(end, p + 1)


class _Scanner:
    """Searches over one text; amortised linear over a whole parse."""

    def __init__(self, text: str) -> None:
        self.t = text
        self.n = len(text)

    def ws_end(self, i: int) -> int:
        m = _WS_RUN.match(self.t, i)
        return m.end() if m is not None else i

    def next_line_end(self, i: int) -> int:
        m = _LINE_END.search(self.t, i)
        return m.start() if m is not None else self.n

    def last_line_end_in(self, a: int, b: int) -> int:
        t = self.t
        return max(t.rfind("\n", a, b), t.rfind("\u2028", a, b), t.rfind("\u2029", a, b))

    def tail(self, i: int) -> int:
        """End of `\\s*(?:#.*)?(?:$|$)` matched at i (JS, /m, its backtracking order), or -1."""
        t, n = self.t, self.n
        if i + 1 < n and t[i] == "\n" and t[i + 1] not in _WHITESPACE_SET and t[i + 1] != "#":
            return i  # the usual case: `$` holds right here
        w = i if i < n and t[i] not in _WHITESPACE_SET else self.ws_end(i)
        if w < n and t[w] == "#":
            return self.next_line_end(w + 1)  # `.` stops at a line end, where `$` holds
        if w == n:
            return n
        # greedy \s* gives characters back until `$` holds: at the last line end before w
        return self.last_line_end_in(i, w)

    def first_unescaped(self, quote: str, v: int) -> int:
        """First i > v with t[i] == quote and t[i-1] != "\\", or -1. Linear over a parse: an
        opening quote is itself unescaped, so the searches from openings of one kind never
        overlap."""
        t = self.t
        i = t.find(quote, v + 1)
        while i != -1 and t[i - 1] == "\\":
            i = t.find(quote, i + 1)
        return i

    def quoted_close(self, quote: str, v: int) -> tuple[int, int]:
        """LINE's quoted alternative opened at v, with the rest of LINE after it: (index of
        the closing quote, end of the match), or (-1, -1). JS tries the first unescaped quote,
        then each escaped one to its left, right to left; openings of one quote kind have
        disjoint (v, first) ranges, so the leftward walk is linear over the whole parse."""
        first = self.first_unescaped(quote, v)
        if first != -1:
            end = self.tail(first + 1)
            if end != -1:
                return first, end
            limit = first
        else:
            limit = self.n
        escaped = "\\" + quote
        j = self.t.rfind(escaped, v + 1, limit)
        while j != -1:
            end = self.tail(j + 2)
            if end != -1:
                return j + 1, end
            j = self.t.rfind(escaped, v + 1, j + 1)  # escaped quotes cannot overlap
        return -1, -1


def _unquote(value: str) -> str:
    """`value.replace(/^(['"`])([\\s\\S]*)\\1$/mg, "$2")` with JS /m semantics, in linear time."""
    if "\n" not in value and "\u2028" not in value and "\u2029" not in value:
        # one `^` and one `$`: the usual single-line value
        if len(value) > 1 and value[0] in _QUOTE_SET and value[-1] == value[0]:
            return value[1:-1]
        return value
    n = len(value)
    # per quote: its last occurrence that a `$` follows (greedy [\s\S]* takes the last)
    last_close: dict[str, int] = {}
    for quote in _QUOTES:
        k = value.rfind(quote)
        while k != -1 and not (k + 1 == n or value[k + 1] in _LINE_TERMINATORS):
            k = value.rfind(quote, 0, k)
        last_close[quote] = k
    if all(k == -1 for k in last_close.values()):
        return value
    out: list[str] = []
    copied = 0
    i = 0  # a `^` position
    while i < n:
        quote = value[i]
        if quote in _QUOTES and last_close[quote] >= i + 1:
            close = last_close[quote]
            out.append(value[copied:i])
            out.append(value[i + 1 : close])
            copied = i = close + 1
        m = _LINE_END.search(value, i)
        if m is None:
            break
        i = m.end()
    out.append(value[copied:])
    return "".join(out)


def _finish(raw: str) -> str:
    """dotenv's value from LINE's value group."""
    value = raw.strip(JS_WHITESPACE)
    if not value:
        return value
    opened_with = value[0]
    value = _unquote(value)
    if opened_with == '"':
        value = value.replace("\\n", "\n").replace("\\r", "\r")
    return value


# -- notes ----------------------------------------------------------------------------------------


class _LineCounter:
    """1-based line of an index, for indexes asked in non-decreasing order: linear overall."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._at = 0
        self._line = 1

    def at(self, index: int) -> int:
        if index > self._at:
            self._line += self._text.count("\n", self._at, index)
            self._at = index
        return self._line


def _shown(key: str) -> str:
    return shorten(key, 60)


def _value_lines(t: str, raw: str, s: int, lines: _LineCounter) -> tuple[int, int]:
    """Lines of the first and last characters of a value (raw starts at s), or the line of its
    `=` or `:` twice when it is empty."""
    value = raw.strip(JS_WHITESPACE)
    if not value:
        separator = s - 1 if t[s - 1] == "=" else s - 2  # `=`, or `:` and one whitespace
        line = lines.at(separator)
        return line, line
    first = s + len(raw) - len(raw.lstrip(JS_WHITESPACE))
    return lines.at(first), lines.at(first + len(value) - 1)


def _note_skipped(text: str, start: int, stop: int, lines: _LineCounter, notes: list[Note]) -> None:
    """Notes for the lines in text[start:stop], which no match took: dotenv skips them."""
    if not text[start:stop].strip(JS_WHITESPACE):
        return  # the usual gap: one line end, maybe blank lines
    i = start
    while i < stop:
        m = _LINE_END.search(text, i, stop)
        j = m.start() if m is not None else stop
        piece = text[i:j].strip(JS_WHITESPACE)
        if piece and not piece.startswith("#"):
            message = "not NAME=value, so the Convex CLI (dotenv) skips this line"
            notes.append(Note(lines.at(i), "skipped", message))
        i = j + 1
