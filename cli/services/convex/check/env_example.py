"""Whether .env.example documents every variable the app reads (each with who sets it)."""

from __future__ import annotations

from cli.services.config.env_example import ENV_EXAMPLE, documented_gaps
from cli.services.project import Project, os_reason
from cli.shared.report import CheckResult, Finding, Status


def env_example_result(project: Project, problems: dict[str, str]) -> CheckResult:
    if ENV_EXAMPLE in problems:
        return CheckResult("env example", Status.SKIPPED, f"needs {ENV_EXAMPLE}")
    try:
        gaps = documented_gaps(project.root / ENV_EXAMPLE)
    except (OSError, UnicodeDecodeError) as error:
        return CheckResult.failure(
            "env example",
            "env/unreadable",
            f"{ENV_EXAMPLE} cannot be read: {os_reason(error)}",
            f"Make {ENV_EXAMPLE} a readable UTF-8 text file.",
        )
    if not gaps:
        return CheckResult(
            "env example", Status.PASSED, f"{ENV_EXAMPLE} documents every variable the app reads"
        )
    findings = tuple(
        Finding(
            "env/missing" if gap.missing else "env/undocumented",
            (
                f"{gap.variable.name} is not listed"
                if gap.missing
                else f"{gap.variable.name} has no comment above it saying who sets it"
            )
            + f" (what it is: {gap.variable.purpose}; who sets it: {gap.variable.set_by})",
            file=ENV_EXAMPLE,
            line=gap.line,
        )
        for gap in gaps
    )
    required = any(gap.variable.required for gap in gaps)
    names = ", ".join(gap.variable.name for gap in gaps)
    return CheckResult(
        "env example",
        Status.FAILED if required else Status.WARNING,
        f"{ENV_EXAMPLE} does not document {names}",
        f"Add each as `NAME=` to {ENV_EXAMPLE} with a comment line above it saying what it is "
        "and who sets it.",
        findings,
    )
