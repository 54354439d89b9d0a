"""Each way Node can end without an answer, named for what it is, with the advice that fits.

Node 20 exits 13 on an unsettled top-level await and prints nothing (Node's documented exit
codes); V8 reports `JavaScript heap out of memory` on stderr and aborts; a node that crashes
dies by a signal; a `node` that hangs answers nothing at all.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.support.project import app_env, project_schema, run_app, write_schema


def schema_check(result_json: dict[str, object]) -> dict[str, object]:
    checks = {c["name"]: c for c in result_json["checks"]}  # type: ignore[attr-defined]
    return checks["schema"]  # type: ignore[no-any-return]


def fake_node(folder: Path, body: str) -> dict[str, str]:
    """An environment whose `node` is a shell script: `--version` is the real node's answer
    unless `body` ends it first."""
    folder.mkdir()
    real = shutil.which("node")
    script = folder / "node"
    script.write_text(f'#!/bin/sh\n{body}\n[ "$1" = --version ] && exec {real} --version\nexec {real} "$@"\n')
    script.chmod(0o755)
    return app_env(PATH=f"{folder}:/usr/bin:/bin")


def test_an_unsettled_top_level_await_is_named(project: Path) -> None:
    (project / "convex" / "pending.ts").write_text("await new Promise(() => {});\nexport const x = 1;\n")
    write_schema(project, 'import "./pending";\n' + project_schema())

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 1
    schema = schema_check(result.json())
    assert schema["findings"][0]["code"] == "schema/unsettled-await"  # type: ignore[index]
    assert "top-level await" in str(schema["message"]) and "exit code 13" in str(schema["message"])
    assert "make it settle" in str(schema["hint"])


def test_running_out_of_memory_is_named(project: Path) -> None:
    write_schema(project, "const junk: number[][] = [];\nwhile (true) junk.push(new Array(1e5).fill(1));\n")
    env = app_env(NODE_OPTIONS="--max-old-space-size=48")

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project, env=env)

    assert result.returncode == 1
    schema = schema_check(result.json())
    assert schema["message"] == "node ran out of memory while evaluating convex/schema.ts"
    assert "--max-old-space-size" in str(schema["hint"])


def test_a_node_that_crashes_is_not_the_schemas_fault(project: Path, tmp_path: Path) -> None:
    env = fake_node(tmp_path / "bin", '[ "$1" = --version ] || kill -s SEGV $$')

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project, env=env)

    assert result.returncode == 1
    schema = schema_check(result.json())
    assert schema["message"] == "node was killed by SIGSEGV while evaluating convex/schema.ts"
    assert "Node itself crashed" in str(schema["hint"]) and "Fix convex/schema.ts" not in str(schema["hint"])


@pytest.mark.waits
def test_a_node_that_does_not_answer_costs_the_start_limit_once(project: Path, tmp_path: Path) -> None:
    env = fake_node(tmp_path / "bin", "exec sleep 1000")

    began = time.monotonic()
    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project, env=env)
    took = time.monotonic() - began

    assert result.returncode == 3
    checks = {c["name"]: c for c in result.json()["checks"]}
    assert checks["toolchain"]["findings"][0]["code"] == "toolchain/no-answer"
    assert "does not answer as Node.js does" in checks["toolchain"]["message"]
    assert checks["schema"]["status"] == "skipped"
    assert took < 12, took  # the 5 s start limit once, not the 15 s loop guard and a probe after it


def test_a_deadline_below_nodes_start_up_says_to_raise_it(project: Path, tmp_path: Path) -> None:
    env = fake_node(tmp_path / "bin", "sleep 1")  # a node slower to start than the deadline

    result = run_app("convex", "check", "--json", "--no-typecheck", "--timeout", "0.2", cwd=project, env=env)

    assert result.returncode == 1
    schema = schema_check(result.json())
    assert schema["message"] == "node did not start within --timeout 0.2 s"
    assert str(schema["hint"]).startswith("Raise --timeout")
    assert "loop" not in str(schema["message"])


def test_an_endless_loop_is_still_called_one(project: Path) -> None:
    write_schema(project, "while (true) {}\n" + project_schema())

    result = run_app("convex", "check", "--json", "--no-typecheck", "--timeout", "3", cwd=project)

    assert result.returncode == 1
    schema = schema_check(result.json())
    assert "did not finish evaluating within 3 s (an endless loop at import?)" in str(schema["message"])
    assert "loop" in str(schema["hint"])
