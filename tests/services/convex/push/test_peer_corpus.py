"""The check against the backend's own verdicts, on complete schema.ts files.

Each file in peer_corpus/ is a schema.ts whose header says what the Convex backend does
with it when pushed (`verdict: accept | reject | warn`), the finding code our check must
give (`rule:`; any other finding it must give is on an `also:` line, for the check's whole
set of findings is compared), and the backend source (and, where one exists, the backend's
Rust test) the verdict comes from. The check runs for real on each: Node evaluates the file through the
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
from cli.shared.report import CheckResult, Finding, Severity, Status
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


SEVERITY_OF_VERDICT = {"reject": "error", "warn": "warning"}


def expected_findings(meta: dict[str, str]) -> set[tuple[str, str]]:
    """Every (severity, code) the check must give: the case's rule (an error for a rejected
    schema, a warning for one the backend changes), and what its `also:` line lists."""
    expected = set()
    if "rule" in meta:
        expected.add((SEVERITY_OF_VERDICT[meta["verdict"]], meta["rule"]))
    for item in filter(None, (part.strip() for part in meta.get("also", "").split(";"))):
        severity, code = item.split()
        expected.add((severity, code))
    return expected


def disagreement(case: Path, results: list[CheckResult]) -> str | None:
    """How the check's results differ from the case's verdict, or None when they agree: the
    whole set of push-rule findings (codes and severities) must be what the header says."""
    meta = header(case)
    checks = {check.name: check for check in results}
    if checks["schema"].status is not Status.PASSED:  # the JS builders must accept every case
        return f"{case.name}: the schema did not evaluate: {checks['schema'].message}"
    rules = checks["push rules"]
    found = {(f.severity.value, f.code) for f in rules.findings}
    expected = expected_findings(meta)
    status = {"accept": Status.PASSED, "warn": Status.WARNING, "reject": Status.FAILED}[meta["verdict"]]
    if found != expected or rules.status is not status:
        missing, extra = sorted(expected - found), sorted(found - expected)
        return (
            f"{case.name}: the backend says {meta['verdict']}; the check says {rules.status.value}"
            f" (missing {missing}, unexpected {extra})"
        )
    return None


def test_disagreement_sees_a_dropped_warning_and_an_extra_error() -> None:
    """The comparison itself: a warning lost beside an error, or one finding too many, is a
    disagreement (a check that only looked for the case's rule would miss both)."""
    case = CORPUS / "083_index_repeated_field_via_dot.ts"
    schema = CheckResult("schema", Status.PASSED, "")
    error = Finding("push/index-repeated-field", "x")
    warning = Finding("push/index-field-normalized", "x", severity=Severity.WARNING)
    extra = Finding("push/same-index-fields", "x")

    def rules(*findings: Finding) -> list[CheckResult]:
        return [schema, CheckResult("push rules", Status.FAILED, "", None, findings)]

    assert disagreement(case, rules(error, warning)) is None
    assert disagreement(case, rules(error)) is not None
    assert disagreement(case, rules(error, warning, extra)) is not None


def test_backend_codes_follow_where_the_backend_stops() -> None:
    """A case refused while serde reads the export (json_trait's json_deserialize) carries
    InvalidJson: run_evaluate_schema (crates/isolate/src/environment/schema.rs) passes bad
    requests on unchanged and wraps only other errors as InvalidSchema."""
    for case in CASES:
        meta = header(case)
        if "json_deserialize" in meta["source"] and meta["verdict"] == "reject":
            assert meta["backend"] == "InvalidJson", case.name


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
