""".env.example read as dotenv reads it: a variable counts as listed where dotenv would set it,
and as documented when a `#` line is right above it."""

from __future__ import annotations

from pathlib import Path

from cli.services.config.env_example import documented_gaps
from cli.services.config.variables import VARIABLES

DOCUMENTED = "".join(f"# {v.name}: what it is, who sets it\n{v.name}=\n\n" for v in VARIABLES)


def gaps(tmp_path: Path, content: bytes) -> list[tuple[str, bool, int | None]]:
    path = tmp_path / ".env.example"
    path.write_bytes(content)
    return [(gap.variable.name, gap.missing, gap.line) for gap in documented_gaps(path)]


def test_every_variable_with_a_comment_above_is_no_gap(tmp_path: Path) -> None:
    assert gaps(tmp_path, DOCUMENTED.encode()) == []
    assert gaps(tmp_path, DOCUMENTED.replace("\n", "\r\n").encode()) == []


def test_a_blank_line_between_comment_and_name_leaves_it_undocumented(tmp_path: Path) -> None:
    text = DOCUMENTED.replace("who sets it\nCONVEX_DEPLOYMENT=", "who sets it\n\nexport CONVEX_DEPLOYMENT=")

    assert gaps(tmp_path, text.encode()) == [("CONVEX_DEPLOYMENT", False, 6)]


def test_a_name_dotenv_would_not_set_is_missing(tmp_path: Path) -> None:
    text = DOCUMENTED.replace("CONVEX_URL=\n", "CONVEX_URL\n")  # no `=`: dotenv skips the line

    assert gaps(tmp_path, text.encode()) == [("CONVEX_URL", True, None)]


def test_names_inside_a_quoted_value_are_not_listed(tmp_path: Path) -> None:
    # The quote opened on CONVEX_URL's line closes only on X's: the lines between are its value.
    text = DOCUMENTED.replace("CONVEX_URL=\n", 'CONVEX_URL="\n') + 'X="\n'

    assert [name for name, missing, _ in gaps(tmp_path, text.encode()) if missing] == [
        v.name for v in VARIABLES[1:]
    ]
