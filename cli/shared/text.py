"""Small wording helpers shared by services and renderers."""


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 error', '2 errors', '0 indexes' (with `many` for irregular plurals)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def shorten(text: str, limit: int = 100) -> str:
    """`text`, or its start and end around '…' and its length when it is longer than `limit`."""
    if len(text) <= limit:
        return text
    tail = max(8, limit // 5)
    return f"{text[: limit - tail - 1]}…{text[-tail:]} ({len(text)} characters)"
