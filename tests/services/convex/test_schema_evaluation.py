"""Breakages of convex/schema.ts that stop it from evaluating in Node."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.support.project import (
    SCHEMA_HEADER,
    processes_mentioning,
    project_schema,
    run_app,
    signal_once_running,
    write_schema,
)


def check(project: Path, *args: str) -> tuple[int, dict[str, dict[str, object]], str]:
    result = run_app("convex", "check", "--json", "--no-typecheck", *args, cwd=project)
    assert "Traceback" not in result.output
    return result.returncode, {c["name"]: c for c in result.json()["checks"]}, result.output


def test_syntax_error_names_file_line_and_column(project: Path) -> None:
    write_schema(project, project_schema().replace("    username: v.string(),", "    username: v.string(,"))

    code, checks, _ = check(project)

    assert code == 1
    schema = checks["schema"]
    assert schema["status"] == "failed"
    assert "convex/schema.ts:7:" in str(schema["message"])
    finding = schema["findings"][0]  # type: ignore[index]
    assert (
        finding["code"] == "schema/syntax" and finding["line"] == 7 and finding["file"] == "convex/schema.ts"
    )
    assert checks["contract"]["status"] == "skipped"


def test_syntax_error_in_human_output(project: Path) -> None:
    write_schema(project, project_schema().replace("    username: v.string(),", "    username: v.string(,"))

    result = run_app("convex", "check", "--no-typecheck", cwd=project)

    assert result.returncode == 1
    assert "convex/schema.ts:7:" in result.stdout
    assert "Traceback" not in result.output


def test_missing_import_names_the_module(project: Path) -> None:
    # TypeScript drops unused imports, so the import must be used to be resolved.
    write_schema(project, 'import { helper } from "./nowhere";\nhelper();\n' + project_schema())

    code, checks, _ = check(project)

    assert code == 1
    assert "nowhere" in str(checks["schema"]["message"])
    assert "convex/schema.ts:1:" in str(checks["schema"]["message"])


def test_throw_at_import_reports_its_message(project: Path) -> None:
    write_schema(
        project,
        SCHEMA_HEADER + 'throw new Error("tables are not ready");\nexport default defineSchema({});\n',
    )

    code, checks, _ = check(project)

    assert code == 1
    assert "throws when imported" in str(checks["schema"]["message"])
    assert "tables are not ready" in str(checks["schema"]["message"])


def test_no_default_export(project: Path) -> None:
    write_schema(
        project,
        SCHEMA_HEADER + "export const schema = defineSchema({ t: defineTable({ a: v.string() }) });\n",
    )

    code, checks, _ = check(project)

    assert code == 1
    assert "no default export" in str(checks["schema"]["message"])
    assert "export default defineSchema" in str(checks["schema"]["hint"])


def test_default_export_that_is_not_a_schema(project: Path) -> None:
    write_schema(project, SCHEMA_HEADER + "export default { users: defineTable({ a: v.string() }) };\n")

    code, checks, _ = check(project)

    assert code == 1
    assert "not a schema" in str(checks["schema"]["message"])


def test_stray_console_output_does_not_break_the_result(project: Path) -> None:
    write_schema(
        project, 'console.log("@@app-result@@{}");\nprocess.stdout?.write?.("noise");\n' + project_schema()
    )

    code, checks, _ = check(project)

    assert code == 0, checks
    assert checks["schema"]["status"] == "passed"


def test_endless_loop_is_bounded_and_leaves_no_node_behind(project: Path) -> None:
    write_schema(project, SCHEMA_HEADER + "while (true) {}\nexport default defineSchema({});\n")

    began = time.monotonic()
    code, checks, _ = check(project, "--timeout", "1")
    elapsed = time.monotonic() - began

    assert code == 1
    assert "did not finish evaluating within 1 s" in str(checks["schema"]["message"])
    assert elapsed < 1 + 2.5, elapsed  # the deadline plus Python and Node start-up
    assert processes_mentioning(str(project)) == []


@pytest.mark.parametrize(
    ("sig", "code", "message"),
    [
        (signal.SIGINT, 130, "error: interrupted"),
        (signal.SIGTERM, 143, "error: stopped by SIGTERM"),
        (signal.SIGHUP, 129, "error: stopped by SIGHUP"),
    ],
)
def test_signal_during_evaluation_ends_it_and_leaves_no_node(
    project: Path, sig: signal.Signals, code: int, message: str
) -> None:
    write_schema(
        project,
        SCHEMA_HEADER
        + "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);\nexport default defineSchema({});\n",
    )

    # Interrupt as soon as node runs: tsc may still be starting.
    args = ["convex", "check", "--timeout", "60"]
    result = signal_once_running(
        args, cwd=project, sig=sig, child="evaluate_schema.mjs", mentioning=str(project)
    )

    assert result.returncode == code
    assert result.stderr.strip() == message
    assert processes_mentioning(str(project)) == []


def test_reused_evaluation_only_for_the_same_sources(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cli.services.convex import check
    from cli.services.project import load_project

    first = check.run_check(load_project(project), check.CheckOptions(typecheck=False))
    assert first.exit_code == 0

    def no_node(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("node was started although the evaluation could be reused")

    monkeypatch.setattr(check, "start_evaluation", no_node)
    reused = check.run_check(
        load_project(project), check.CheckOptions(typecheck=False, reuse_evaluation=True)
    )
    assert reused.exit_code == 0

    write_schema(project, project_schema().replace('.index("by_symbol", ["symbol"])', ""))
    with pytest.raises(AssertionError, match="node was started"):
        check.run_check(load_project(project), check.CheckOptions(typecheck=False, reuse_evaluation=True))


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            'const suffix = process.env.SUFFIX ?? "x";',
            "Environment variables unsupported when evaluating schema",
        ),
        ("const id = crypto.randomUUID();", "Cryptographic randomness unsupported when evaluating schema"),
        ('fetch("http://127.0.0.1:9");', "fetch unsupported when evaluating schema"),
    ],
    ids=["process.env", "crypto", "fetch"],
)
def test_what_the_backend_schema_environment_refuses_fails_here_too(
    project: Path, code: str, message: str
) -> None:
    write_schema(project, project_schema().replace("export default", f"{code}\nexport default"))

    exit_code, checks, _ = check(project)

    assert exit_code == 1
    assert checks["schema"]["status"] == "failed"
    assert message in str(checks["schema"]["message"]), checks["schema"]


def test_time_stands_still_while_the_schema_evaluates_as_in_the_backend(project: Path) -> None:
    # The backend freezes Date.now() and performance.now(): a loop waiting for time to pass
    # never ends there, so it must not end here either.
    wait = "const start = Date.now();\nwhile (Date.now() - start < 5) {}\n"
    write_schema(project, project_schema().replace("export default", wait + "export default"))

    exit_code, checks, _ = check(project, "--timeout", "1")

    assert exit_code == 1
    assert "did not finish evaluating within 1 s" in str(checks["schema"]["message"])


def test_date_and_math_random_still_work(project: Path) -> None:
    code = 'const stamp = new Date().toISOString() + Math.random();\nif (!stamp) throw new Error("no");\n'
    write_schema(project, project_schema().replace("export default", code + "export default"))

    exit_code, checks, _ = check(project)

    assert exit_code == 0, checks["schema"]
