"""The check against the backend's own verdicts, on complete schema.ts files.

Each file in peer_corpus/ is a schema.ts whose header says what the Convex backend does
with it when pushed (`verdict: accept | reject | warn`), the finding code our check must
give (`rule:`), and the backend source (and, where one exists, the backend's Rust test) the
verdict comes from. The check runs for real on each: Node evaluates the file through the
pinned `convex` package, then the push rules judge the export. One test takes every case
and names each disagreement; a sample also runs through the whole check.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from cli.services.convex.check.run import CheckOptions, run_check
from cli.services.project import load_project
from cli.shared.report import CheckResult, Severity, Status
from tests.support.project import copy_project
from tests.support.schema_batch import check_schemas

CORPUS = Path(__file__).parent / "peer_corpus"
CASES = sorted(CORPUS.glob("*.ts"))
# One case of each verdict, also run through the whole check in its own processes.
SAMPLE = [CORPUS / "009_doc_union_of_objects.ts", CORPUS / "092_index_field_leading_trailing_dots.ts"]
SAMPLE += [
    CORPUS / "140_vector_union_string_member_and_lacking_member.ts",
    CORPUS / "060_index_name_by_id.ts",
]
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


def disagreement(case: Path, results: list[CheckResult]) -> str | None:
    """How the check's results differ from the case's verdict, or None when they agree."""
    meta = header(case)
    checks = {check.name: check for check in results}
    if checks["schema"].status is not Status.PASSED:  # the JS builders must accept every case
        return f"{case.name}: the schema did not evaluate: {checks['schema'].message}"
    rules = checks["push rules"]
    errors = {f.code for f in rules.findings if f.severity is Severity.ERROR}
    warnings = {f.code for f in rules.findings if f.severity is Severity.WARNING}
    said = f"the check says {rules.status.value}: {sorted(errors | warnings)}"
    verdict, rule = meta["verdict"], meta.get("rule")
    if verdict == "accept" and rules.status is not Status.PASSED:
        return f"{case.name}: the backend accepts it; {said}"
    if verdict == "warn" and (rules.status is not Status.WARNING or rule not in warnings):
        return f"{case.name}: the backend accepts it with {rule}; {said}"
    if verdict == "reject" and (rules.status is not Status.FAILED or rule not in errors):
        return f"{case.name}: the backend rejects it ({rule}); {said}"
    return None


@pytest.mark.slow
def test_the_check_agrees_with_the_backend_on_every_case(tmp_path: Path) -> None:
    """All cases through the check's own evaluator (one Node process for them all, which
    keeps the suite fast) and its own schema, push-rule and contract checks."""
    results = check_schemas(tmp_path, {case.name: case.read_text(encoding="utf-8") for case in CASES})

    problems = [disagreement(case, list(results[case.name].values())) for case in CASES]

    assert not [p for p in problems if p], "\n".join(p for p in problems if p)


@pytest.mark.parametrize("case", SAMPLE, ids=[case.stem for case in SAMPLE])
def test_a_sample_through_the_whole_check(case: Path, tmp_path: Path) -> None:
    """A case of each verdict through run_check as `app convex check` runs it."""
    project = copy_project(tmp_path / "project")
    (project / "convex" / "schema.ts").write_text(case.read_text(encoding="utf-8"), encoding="utf-8")

    report = run_check(load_project(project), CheckOptions(timeout=30, typecheck=False))

    assert disagreement(case, list(report.checks)) is None
