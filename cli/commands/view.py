"""How a command's report is shown: its checks' order, its heading, its notes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cli.shared.report import CheckResult, Report

Notes = Callable[["Report[Any]"], list[tuple[str, str]]]


def _no_notes(report: Report[Any]) -> list[tuple[str, str]]:
    return []


@dataclass(frozen=True)
class View:
    """How a command's report is shown."""

    command: str  # e.g. "convex check", as the JSON document names it
    order: tuple[str, ...]  # the checks, in the order they are shown
    title: str
    subject: str  # what the report is about: the project folder, a URL
    subtitle: str = ""
    subject_key: str = "project"  # the JSON key of the subject
    notes: Notes = field(default=_no_notes)  # (label, text) lines after the checks


def in_order(checks: tuple[CheckResult, ...], order: tuple[str, ...]) -> list[CheckResult]:
    rank = {name: i for i, name in enumerate(order)}
    return sorted(checks, key=lambda check: rank.get(check.name, len(rank)))
