"""The check against the backend's own verdicts, on complete schema.ts files.

Each file in peer_corpus/ is a schema.ts whose header says what the Convex backend does
with it when pushed (`verdict: accept | reject | warn`), the finding code our check must
give (`rule:`), and the backend source (and, where one exists, the backend's Rust test) the
verdict comes from. The check runs for real on each: Node evaluates the file through the
pinned `convex` package, then the push rules judge the export.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from cli.services.convex.check import CheckOptions, run_check
from cli.services.convex.report import Severity, Status
from cli.services.project import load_project
from tests.support.project import copy_project

CORPUS = Path(__file__).parent / "peer_corpus"
CASES = sorted(CORPUS.glob("*.ts"))
HEADER = re.compile(r"^// (?P<key>[a-z]+): (?P<value>.+)$")
# A citation names a file of the backend and the commit it was read at.
CITATION = re.compile(r"^crates/\S+\.rs .+ @ [0-9a-f]{9}")


def header(case: Path) -> dict[str, str]:
    """The `// key: value` lines the file starts with."""
    meta: dict[str, str] = {}
    for line in case.read_text(encoding="utf-8").splitlines():
        match = HEADER.match(line)
        if not match:
            break
        meta[match["key"]] = match["value"].strip()
    return meta


def test_the_corpus_is_large_and_balanced() -> None:
    verdicts = Counter(header(case).get("verdict") for case in CASES)
    assert len(CASES) >= 60, len(CASES)
    assert verdicts["accept"] >= 25 and verdicts["reject"] >= 25, verdicts
    assert set(verdicts) <= {"accept", "reject", "warn"}, verdicts


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_case_cites_the_backend(case: Path) -> None:
    meta = header(case)
    assert CITATION.match(meta.get("source", "")), meta
    if "test" in meta:
        assert CITATION.match(meta["test"]), meta
    assert meta.get("why"), meta
    assert ("rule" in meta) == (meta["verdict"] != "accept"), meta


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_check_agrees_with_the_backend(case: Path, tmp_path: Path) -> None:
    meta = header(case)
    project = copy_project(tmp_path / "project")
    (project / "convex" / "schema.ts").write_text(case.read_text(encoding="utf-8"), encoding="utf-8")

    report = run_check(load_project(project), CheckOptions(timeout=30, typecheck=False))

    checks = {check.name: check for check in report.checks}
    assert checks["schema"].status is Status.PASSED, checks["schema"]  # the JS builders accept it
    rules = checks["push rules"]
    errors = {f.code for f in rules.findings if f.severity is Severity.ERROR}
    warnings = {f.code for f in rules.findings if f.severity is Severity.WARNING}
    if meta["verdict"] == "accept":
        assert rules.status is Status.PASSED, rules.findings
    elif meta["verdict"] == "warn":
        assert rules.status is Status.WARNING and not errors, rules.findings
        assert meta["rule"] in warnings, rules.findings
    else:
        assert rules.status is Status.FAILED, rules.findings
        assert meta["rule"] in errors, rules.findings
