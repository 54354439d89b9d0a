"""Python names from the schema's names: the same on every Python the project supports."""

from __future__ import annotations

import keyword

import pytest

from cli.services.convex.typegen.names import HARD_KEYWORDS, RENAMED, SOFT_KEYWORDS, python_names

# keyword.softkwlist of each supported Python: the running one's is checked against its own.
SOFT_BY_VERSION = {
    "3.11": {"_", "case", "match"},
    "3.12": {"_", "case", "match", "type"},
    "3.13": {"_", "case", "match", "type"},
}


def test_the_fixed_list_covers_every_keyword_of_the_running_python() -> None:
    assert set(keyword.kwlist) <= HARD_KEYWORDS
    assert set(keyword.softkwlist) <= SOFT_KEYWORDS


def test_the_fixed_list_covers_every_soft_keyword_of_3_11_to_3_13() -> None:
    assert set().union(*SOFT_BY_VERSION.values()) <= SOFT_KEYWORDS


def test_names_do_not_depend_on_the_running_python(monkeypatch: pytest.MonkeyPatch) -> None:
    wanted = python_names(["type", "match", "case", "class", "name"])
    monkeypatch.setattr(keyword, "iskeyword", lambda name: False)
    monkeypatch.setattr(keyword, "issoftkeyword", lambda name: False)
    assert (
        python_names(["type", "match", "case", "class", "name"])
        == wanted
        == ["type_", "match_", "case_", "class_", "name"]
    )


@pytest.mark.parametrize(
    ("fields", "names"),
    [
        (["class", "class_"], ["class__", "class_"]),
        (["class_", "class"], ["class_", "class__"]),  # the same whatever the order
        (["str", "name"], ["str_", "name"]),
        (["__secret", "field__secret"], ["field__secret_", "field__secret"]),
        (["UsersDoc", "users"], ["UsersDoc_", "users"]),  # a generated type's name, reserved
        (["Literal", "Literal_", "Literal__"], ["Literal___", "Literal_", "Literal__"]),
    ],
)
def test_changed_names_never_collide(fields: list[str], names: list[str]) -> None:
    assert python_names(fields, {"UsersDoc"}) == names


def test_every_renamed_name_is_a_valid_attribute() -> None:
    for name in RENAMED:
        (renamed,) = python_names([name])
        assert (
            renamed.isidentifier() and not keyword.iskeyword(renamed) and not keyword.issoftkeyword(renamed)
        )
