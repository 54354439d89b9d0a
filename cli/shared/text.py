"""Small wording helpers shared by services and renderers, and the one rule that wraps lines
for a terminal."""

from __future__ import annotations

import re
from collections.abc import Callable


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 error', '2 errors', '0 indexes' (with `many` for irregular plurals)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def shorten(text: str, limit: int = 100) -> str:
    """`text`, or its start and end around '…' and its length when it is longer than `limit`."""
    if len(text) <= limit:
        return text
    tail = max(8, limit // 5)
    return f"{text[: limit - tail - 1]}…{text[-tail:]} ({len(text)} characters)"


# -- wrapping for a terminal ------------------------------------------------------------------

# The fewest columns a hanging body may have: with fewer (a long code as the prefix on a narrow
# terminal) the body hangs two columns in from where the prefix's text starts instead.
MIN_BODY = 20


def display_width(text: str) -> int:
    """The columns `text` takes on a terminal, as rich counts them (East Asian wide
    characters and most emoji take 2, ✔ ✘ · → take 1)."""
    from rich.cells import cell_len

    return cell_len(text)


def hanging_indent(prefix: str, width: int, cells: Callable[[str], int] = display_width) -> int:
    """The column where a body's continuation lines start after `prefix`, on lines of `width`
    columns: under the body's first column, unless that leaves fewer than MIN_BODY columns
    (then two columns in from where the prefix's text starts)."""
    own = cells(prefix)
    return own if width - own >= MIN_BODY else indent_in(prefix, width)


def indent_in(text: str, width: int) -> int:
    """The column two in from where `text` starts (after its leading spaces): where a line
    without a prefix continues, leaving at least MIN_BODY columns where it can."""
    lead = len(text) - len(text.lstrip(" "))
    return max(0, min(lead + 2, width - MIN_BODY))


def wrap_spans(
    text: str, first: int, rest: int, cells: Callable[[str], int] = display_width, widest: int = 0
) -> list[tuple[int, int]]:
    """Where `text` breaks into lines of at most `first` columns (the first line) and `rest`
    (the others): each line's (start, end) in `text`, without the spaces at its ends (those
    at the start of the text stay). Lines break between words, and at each newline. A word (a
    path, a code, a URL) wider than `rest` but not than `widest` (the whole line, when the
    caller can start it further left) has a line of its own; one wider than both is split,
    after a '/' where that fills at least half the line."""
    rest = max(1, rest)
    widest = max(rest, widest)
    spans: list[tuple[int, int]] = []
    begin = 0
    for paragraph in text.split("\n"):
        end = begin + len(paragraph)
        spans += _wrap_paragraph(text, begin, end, first if not spans else rest, rest, widest, cells)
        begin = end + 1
    return spans


_WORD = re.compile(r"[^ ]+")


def _wrap_paragraph(
    text: str, begin: int, end: int, first: int, rest: int, widest: int, cells: Callable[[str], int]
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = stop = begin  # the current line: from `start` to the end of its last word
    used, limit = 0, first
    fresh = False  # the current line has nothing yet (after a word that had a line of its own)
    for word in _WORD.finditer(text, begin, end):
        at, after = word.span()
        if fresh:
            start = stop = at
        gap = cells(text[stop:at])  # the spaces before the word (or leading ones)
        wide = cells(text[at:after])
        if used + gap + wide <= limit:
            stop, used, fresh = after, used + gap + wide, False
            continue
        if wide <= rest:  # it fits on a line of its own: break before it
            if not fresh:
                spans.append((start, stop))
            start, stop, used, limit, fresh = at, after, wide, rest, False
            continue
        if wide <= widest:  # it fits on a line of its own that starts further left
            spans += [(start, stop), (at, after)] if not fresh else [(at, after)]
            start = stop = after
            used, limit, fresh = 0, rest, True
            continue
        # Wider than any line: split it, starting here if at least half a line is left.
        room = limit - used - gap
        if fresh or room < max(1, rest // 2) or cells(text[at]) > room:
            if not fresh:
                spans.append((start, stop))
            start, used, limit, room = at, 0, rest, rest
        else:
            used += gap
        fresh = False
        piece = at
        while True:
            cut = piece + _fitting(text, piece, after, room, cells)
            if cut >= after:
                stop, used = after, used + cells(text[piece:after])
                break
            spans.append((start, cut))
            start = piece = cut
            used, limit, room = 0, rest, rest
    if not fresh:
        spans.append((start, stop))
    return spans


def _fitting(text: str, begin: int, end: int, room: int, cells: Callable[[str], int]) -> int:
    """How many characters of text[begin:end] fill at most `room` columns (at least one),
    ending after a '/' when that fills at least half of them."""
    count = used = 0
    while begin + count < end and used + (wide := cells(text[begin + count])) <= room:
        used += wide
        count += 1
    count = max(count, 1)
    if begin + count < end:
        slash = text.rfind("/", begin, begin + count)
        if slash >= 0 and 2 * cells(text[begin : slash + 1]) >= room:
            count = slash + 1 - begin
    return count


def wrap_line(prefix: str, body: str, width: int) -> list[tuple[int, int, int]]:
    """How `prefix` + `body` shows on lines of `width` columns: each line as the columns of
    indent before it and its (start, end) in prefix + body. The body continues at
    hanging_indent; without a prefix, or with one wider than the line, each line of the text
    continues two columns in from where it starts (indent_in)."""
    if prefix and display_width(prefix) <= width:
        hang = hanging_indent(prefix, width)
        spans = wrap_spans(body, width - display_width(prefix), width - hang, widest=width)
        size = len(prefix)
        return [(0, 0, size + spans[0][1])] + [
            (_indent(body[a:b], hang, width), size + a, size + b) for a, b in spans[1:]
        ]
    text = prefix + body
    lines: list[tuple[int, int, int]] = []
    begin = 0
    for paragraph in text.split("\n"):
        hang = indent_in(paragraph, width)
        spans = wrap_spans(paragraph, width, width - hang, widest=width)
        lines += [
            (_indent(paragraph[a:b], hang, width) if i else 0, begin + a, begin + b)
            for i, (a, b) in enumerate(spans)
        ]
        begin += len(paragraph) + 1
    return lines


def _indent(line: str, hang: int, width: int) -> int:
    """A continuation line's indent: the hanging one, or less for a word too wide for it (it
    then ends at the last column rather than being split)."""
    return min(hang, width - display_width(line))


def wrap_hanging(prefix: str, body: str, width: int) -> list[str]:
    """`prefix` + `body` as a terminal of `width` columns shows it (see wrap_line): no line
    wider, none ending in a space. The renderer does the same with styles."""
    text = prefix + body
    return [
        (" " * indent + text[start:end]).rstrip() for indent, start, end in wrap_line(prefix, body, width)
    ]
