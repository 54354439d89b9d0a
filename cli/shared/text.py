"""Small wording helpers shared by services and renderers."""


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 error', '2 errors', '0 indexes' (with `many` for irregular plurals)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
