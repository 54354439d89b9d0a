"""The push rules' findings as one row of a report: the check's and codegen's alike."""

from __future__ import annotations

from collections.abc import Sequence

from cli.shared.report import CheckResult, Finding, Severity, Status
from cli.shared.text import plural


def push_rules_result(schema: str, findings: Sequence[Finding]) -> CheckResult:
    errors = [f for f in findings if f.severity is Severity.ERROR]
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    if errors:
        also = f" (and {plural(len(warnings), 'warning')})" if warnings else ""
        return CheckResult(
            "push rules",
            Status.FAILED,
            f"{plural(len(errors), 'violation')} the backend would reject at push{also}",
            f"Change what each finding names in {schema}; `npx convex dev` would fail to push it.",
            tuple(errors + warnings),
        )
    if warnings:
        return CheckResult(
            "push rules",
            Status.WARNING,
            f"the backend accepts it but changes {plural(len(warnings), 'thing')} at push",
            f"Change {schema} so that it says what the backend will keep.",
            tuple(warnings),
        )
    return CheckResult("push rules", Status.PASSED, "nothing the backend would reject at push")
