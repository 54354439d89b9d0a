"""What checks return: findings, named check results and the whole report (plain data)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Protocol


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


class Progress(Protocol):
    """Who wants to hear about each check as it goes (a live display, say)."""

    def working(self, name: str, doing: str) -> None:
        """The check `name` is under way: `doing` says what it waits for."""

    def finished(self, result: CheckResult) -> None:
        """The check's result is known."""


@dataclass
class CheckReport:
    """Named results of one command run, about one subject (a project folder or a URL).

    `order` names the checks in the order they are reported, whatever order they finish
    in; `progress` hears of each as it goes."""

    subject: str
    checks: list[CheckResult] = field(default_factory=list)
    seconds: float = 0.0
    command: str = "convex check"
    subject_key: str = "project"
    details: dict[str, Any] = field(default_factory=dict)  # extra top-level JSON facts
    order: tuple[str, ...] = ()
    progress: Progress | None = field(default=None, repr=False, compare=False)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (label, text) shown after the checks

    def working(self, name: str, doing: str) -> None:
        if self.progress is not None:
            self.progress.working(name, doing)

    def add(self, result: CheckResult) -> None:
        """Record a result (kept in `order`) and tell whoever listens."""
        self.checks.append(result)
        if self.order:
            rank = {name: i for i, name in enumerate(self.order)}
            self.checks.sort(key=lambda check: rank.get(check.name, len(rank)))
        if self.progress is not None:
            self.progress.finished(result)

    def count(self, status: Status) -> int:
        return sum(1 for check in self.checks if check.status is status)

    @property
    def exit_code(self) -> int:
        """0, or the gravest failure's code: unreachable (4) > environment (3) > finding (1)."""
        return max((c.exit_code for c in self.checks if c.status is Status.FAILED), default=0)

    def to_json(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "ok": self.exit_code == 0,
            "exit_code": self.exit_code,
            self.subject_key: self.subject,
            "duration_ms": round(self.seconds * 1000),
            **self.details,
            "checks": [c.to_json() for c in self.checks],
            "summary": {
                "passed": self.count(Status.PASSED),
                "failed": self.count(Status.FAILED),
                "warnings": self.count(Status.WARNING),
                "skipped": self.count(Status.SKIPPED),
                "total": len(self.checks),
            },
        }
