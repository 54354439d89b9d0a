"""What a command finds: findings, named check results, and the report they make (data only).

How a report looks (the order of its checks, a live display, labels) is the commands' business;
services fill a `Checklist`, which tells whoever listens of each result as it is known.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar


class Severity(StrEnum):
    ERROR = "error"  # the check fails
    WARNING = "warning"  # worth knowing; the check still passes, with a warning


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    WARNING = "warning"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Finding:
    """One thing wrong, with a stable code and where it is."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    table: str | None = None
    field: str | None = None
    index: str | None = None
    severity: Severity = Severity.ERROR

    @property
    def location(self) -> str | None:
        if self.file is None:
            return None
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    message: str
    hint: str | None = None
    findings: tuple[Finding, ...] = ()
    # The exit code a failure stands for: 1 a finding, 3 environment missing, 4 unreachable.
    exit_code: int = 1

    @classmethod
    def failure(
        cls, name: str, code: str, message: str, hint: str, *, finding: str | None = None, exit_code: int = 1
    ) -> CheckResult:
        """A failed check with one finding (its text defaults to the message)."""
        return cls(name, Status.FAILED, message, hint, (Finding(code, finding or message),), exit_code)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status.value,
            "message": self.message,
            "hint": self.hint,
            "findings": [f.to_json() for f in self.findings],
        }


class Details(Protocol):
    """Facts a command reports besides its checks (ping: the deployment's name, latency)."""

    def to_json(self) -> dict[str, Any]: ...


D = TypeVar("D", bound="Details | None")


@dataclass(frozen=True)
class Report(Generic[D]):
    """Named results of one command run about one subject (a project folder or a URL)."""

    subject: str
    checks: tuple[CheckResult, ...]
    seconds: float
    details: D  # None for a command that reports nothing besides its checks

    def count(self, status: Status) -> int:
        return sum(1 for check in self.checks if check.status is status)

    @property
    def exit_code(self) -> int:
        """0, or the gravest failure's code: unreachable (4) > environment (3) > finding (1)."""
        return max((c.exit_code for c in self.checks if c.status is Status.FAILED), default=0)


class Progress(Protocol):
    """Who wants to hear about each check as it goes (a live display, say)."""

    def working(self, name: str, doing: str) -> None:
        """The check `name` is under way: `doing` says what it waits for."""

    def finished(self, result: CheckResult) -> None:
        """The check's result is known."""


@dataclass
class Checklist:
    """Results as a service comes to know them, each passed on to `progress` at once."""

    progress: Progress | None = None
    results: list[CheckResult] = field(default_factory=list)

    def working(self, name: str, doing: str) -> None:
        if self.progress is not None:
            self.progress.working(name, doing)

    def add(self, result: CheckResult) -> None:
        self.results.append(result)
        if self.progress is not None:
            self.progress.finished(result)

    def skip(self, names: tuple[str, ...], why: str) -> None:
        for name in names:
            self.add(CheckResult(name, Status.SKIPPED, why))

    def report(self, subject: str, seconds: float, details: D) -> Report[D]:
        return Report(subject, tuple(self.results), seconds, details)
