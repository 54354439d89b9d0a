"""Breakages of convex/schema.ts that stop it from evaluating in Node."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli.shared.report import CheckResult, Status
from tests.support.project import (
    SCHEMA_HEADER,
    app_env,
    left_running,
    project_schema,
    run_app,
    signal_once_running,
    write_schema,
)
from tests.support.schema_batch import check_schemas


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


def test_endless_loop_is_bounded_and_leaves_no_node_behind(project: Path) -> None:
    write_schema(project, SCHEMA_HEADER + "while (true) {}\nexport default defineSchema({});\n")

    began = time.monotonic()
    code, checks, output = check(project, "--timeout", "1")
    elapsed = time.monotonic() - began

    assert code == 1
    assert "did not finish evaluating within 1 s" in str(checks["schema"]["message"])
    # The deadline holds by the app's own clock; start-up, which load stretches, comes on top.
    assert json.loads(output)["duration_ms"] <= 1000 + 500
    assert elapsed < 1 + 4, elapsed
    assert left_running(str(project)) == []


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
    assert left_running(str(project)) == []


INTERRUPT_INSIDE_EVAL = """\
import runpy, signal
from cli.services.convex.check import env_example as check
checked = check.documented_gaps
def interrupted(*args, **kwargs):
    # As when Ctrl-C lands while a module imports: namedtuple runs eval() on a string.
    eval("__import__('signal').raise_signal(2) or [i for i in range(10**6)]")
    return checked(*args, **kwargs)
check.documented_gaps = interrupted
runpy.run_module("cli", run_name="__main__", alter_sys=True)
"""


def test_ctrl_c_that_lands_inside_eval_still_exits_130(project: Path, tmp_path: Path) -> None:
    """CPython remembers a KeyboardInterrupt from inside eval() of a string as unhandled,
    though the app caught it, and would end the app by SIGINT (-2) instead of with 130."""
    (tmp_path / "interrupt_inside_eval.py").write_text(INTERRUPT_INSIDE_EVAL, encoding="utf-8")
    env = app_env(PYTHONPATH=str(tmp_path))
    argv = [sys.executable, "-P", "-m", "interrupt_inside_eval", "convex", "check", "--no-typecheck"]

    done = subprocess.run(argv, cwd=project, env=env, capture_output=True, text=True, timeout=60)

    assert (done.returncode, done.stderr.strip()) == (130, "error: interrupted")
    assert left_running(str(project)) == []


def test_reused_evaluation_only_for_the_same_sources(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cli.services.convex.check import run as check
    from cli.services.convex.schema import local
    from cli.services.project import load_project

    first = check.run_check(load_project(project), check.CheckOptions(typecheck=False))
    assert first.exit_code == 0

    def no_node(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("node was started although the evaluation could be reused")

    monkeypatch.setattr(local, "start_evaluation", no_node)
    reused = check.run_check(
        load_project(project), check.CheckOptions(typecheck=False, reuse_evaluation=True)
    )
    assert reused.exit_code == 0

    write_schema(project, project_schema().replace('.index("by_symbol", ["symbol"])', ""))
    with pytest.raises(AssertionError, match="node was started"):
        check.run_check(load_project(project), check.CheckOptions(typecheck=False, reuse_evaluation=True))


def test_time_stands_still_while_the_schema_evaluates_as_in_the_backend(project: Path) -> None:
    # The backend freezes Date.now() and performance.now(): a loop waiting for time to pass
    # never ends there, so it must not end here either.
    wait = "const start = Date.now();\nwhile (Date.now() - start < 5) {}\n"
    write_schema(project, project_schema().replace("export default", wait + "export default"))

    exit_code, checks, _ = check(project, "--timeout", "1")

    assert exit_code == 1
    assert "did not finish evaluating within 1 s" in str(checks["schema"]["message"])


def before_export(code: str) -> str:
    return project_schema().replace("export default", f"{code}\nexport default")


# Schemas whose evaluation, not the command around it, is under test: evaluated by Node in
# one process for them all (as `app convex check` evaluates one), then checked in-process.
# TypeScript drops unused imports, so the missing import must be used to be resolved.
SCHEMAS = {
    "missing import": 'import { helper } from "./nowhere";\nhelper();\n' + project_schema(),
    "throw at import": SCHEMA_HEADER
    + 'throw new Error("tables are not ready");\nexport default defineSchema({});\n',
    "no default export": SCHEMA_HEADER
    + "export const schema = defineSchema({ t: defineTable({ a: v.string() }) });\n",
    "not a schema": SCHEMA_HEADER + "export default { users: defineTable({ a: v.string() }) };\n",
    "stray output": 'console.log("@@app-result@@{}");\nprocess.stdout?.write?.("noise");\n'
    + project_schema(),
    "process.env": before_export('const suffix = process.env.SUFFIX ?? "x";'),
    "crypto": before_export("const id = crypto.randomUUID();"),
    "fetch": before_export('fetch("http://127.0.0.1:9");'),
    "date and random": before_export(
        'const stamp = new Date().toISOString() + Math.random();\nif (!stamp) throw new Error("no");'
    ),
}


# The tests that read the batch run on one worker, so that it is evaluated once (make test
# schedules with --dist loadgroup).
BATCH = pytest.mark.xdist_group("schema evaluation batch")


@pytest.fixture(scope="module")
def schema_of(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CheckResult]:
    """The schema check's result for each of SCHEMAS."""
    results = check_schemas(tmp_path_factory.mktemp("evaluation"), SCHEMAS)
    return {name: checks["schema"] for name, checks in results.items()}


@BATCH
def test_missing_import_names_the_module(schema_of: dict[str, CheckResult]) -> None:
    schema = schema_of["missing import"]
    assert schema.status is Status.FAILED
    finding = schema.findings[0]
    assert (finding.code, finding.line, finding.column) == ("schema/resolve", 1, 24), finding
    assert schema.message == f'{finding.file}:1:24: Could not resolve "./nowhere"'
    assert finding.file is not None and finding.file.endswith("/schema.ts")


@BATCH
def test_throw_at_import_reports_its_message(schema_of: dict[str, CheckResult]) -> None:
    schema = schema_of["throw at import"]
    assert schema.status is Status.FAILED
    assert "throws when imported" in schema.message and "tables are not ready" in schema.message


@BATCH
def test_no_default_export(schema_of: dict[str, CheckResult]) -> None:
    schema = schema_of["no default export"]
    assert schema.status is Status.FAILED and "no default export" in schema.message
    assert "export default defineSchema" in str(schema.hint)


@BATCH
def test_default_export_that_is_not_a_schema(schema_of: dict[str, CheckResult]) -> None:
    schema = schema_of["not a schema"]
    assert schema.status is Status.FAILED and "not a schema" in schema.message


@BATCH
def test_stray_console_output_does_not_break_the_result(schema_of: dict[str, CheckResult]) -> None:
    assert schema_of["stray output"].status is Status.PASSED, schema_of["stray output"]


@BATCH
@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("process.env", "Environment variables unsupported when evaluating schema"),
        ("crypto", "Cryptographic randomness unsupported when evaluating schema"),
        ("fetch", "fetch unsupported when evaluating schema"),
    ],
)
def test_what_the_backend_schema_environment_refuses_fails_here_too(
    schema_of: dict[str, CheckResult], case: str, message: str
) -> None:
    assert schema_of[case].status is Status.FAILED
    assert message in schema_of[case].message, schema_of[case]


@BATCH
def test_date_and_math_random_still_work(schema_of: dict[str, CheckResult]) -> None:
    assert schema_of["date and random"].status is Status.PASSED, schema_of["date and random"]
