"""Each kind of contract difference, on real edits of the project's schema.ts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli.services.convex.check import contract as contract_module
from cli.services.convex.check.contract import CONTRACT, contract_model
from cli.shared.report import CheckResult, Status
from tests.support.project import project_schema, run_app, write_schema
from tests.support.schema_batch import check_schemas

EDITS: dict[str, tuple[str, str, str, str]] = {
    # id: (text in schema.ts, replacement, expected code, text the message must contain)
    "missing table": (
        "  prices: defineTable({\n    symbol: v.string(),\n    price_usd: v.number(),\n"
        '    change_24h: v.number(),\n    updated_at: v.number(),\n  }).index("by_symbol", ["symbol"]),\n',
        "",
        "contract/missing-table",
        "table prices",
    ),
    "missing field": ("    username: v.string(),\n", "", "contract/missing-field", "users.username"),
    "retyped field": (
        "    usd_value: v.number(),",
        "    usd_value: v.string(),",
        "contract/field-type",
        "v.string()",
    ),
    "retyped union": ('      v.literal("trade"),\n', "", "contract/field-type", "messages.message_type"),
    "optional made required": (
        "    bio: v.optional(v.string()),",
        "    bio: v.string(),",
        "contract/field-optional",
        "users.bio: optional in the app's contract, required",
    ),
    "required made optional": (
        "    symbol: v.string(),",
        "    symbol: v.optional(v.string()),",
        "contract/field-optional",
        "prices.symbol: required",
    ),
    "missing index": (
        '}).index("by_wallet", ["wallet_address"]),',
        "}),",
        "contract/missing-index",
        "users.by_wallet",
    ),
    "index on other fields": (
        '.index("by_symbol", ["symbol"])',
        '.index("by_symbol", ["symbol", "updated_at"])',
        "contract/index-fields",
        "prices.by_symbol",
    ),
}


def edited_schema(case: str) -> str:
    old, new, _, _ = EDITS[case]
    schema = project_schema()
    assert old in schema, "the project's schema changed; update this test's edit"
    return schema.replace(old, new, 1)


# The tests that read the batch run on one worker, so that it is evaluated once (make test
# schedules with --dist loadgroup).
BATCH = pytest.mark.xdist_group("contract batch")


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, CheckResult]]:
    """Every edit's schema, evaluated by Node in one process and checked in-process."""
    return check_schemas(tmp_path_factory.mktemp("contract"), {case: edited_schema(case) for case in EDITS})


@BATCH
@pytest.mark.parametrize("case", list(EDITS), ids=list(EDITS))
def test_contract_difference_is_reported(checked: dict[str, dict[str, CheckResult]], case: str) -> None:
    _, _, code, text = EDITS[case]

    contract = checked[case]["contract"]

    assert contract.status is Status.FAILED
    assert [f.code for f in contract.findings] == [code], contract.findings
    assert text in contract.findings[0].message
    assert contract.hint


def test_a_contract_difference_fails_the_command_with_its_finding(project: Path) -> None:
    write_schema(project, edited_schema("missing field"))

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 1, result.output
    contract = {c["name"]: c for c in result.json()["checks"]}["contract"]
    assert contract["status"] == "failed"
    assert [f["code"] for f in contract["findings"]] == ["contract/missing-field"], contract["findings"]
    assert "users.username" in contract["findings"][0]["message"]
    # The advice names the file that declares the contract, where it is in the project.
    named = re.findall(r"update (\S+) if", contract["hint"])
    assert named == ["cli/services/convex/check/contract.py"], contract["hint"]
    assert Path(contract_module.__file__).as_posix().endswith(f"/{named[0]}")


def test_extra_tables_fields_and_indexes_are_allowed(project: Path) -> None:
    schema = project_schema()
    schema = schema.replace(
        "    is_active: v.boolean(),\n", "    is_active: v.boolean(),\n    avatar: v.optional(v.string()),\n"
    )
    schema = schema.replace(
        '.index("by_symbol", ["symbol"])',
        '.index("by_symbol", ["symbol"]).index("by_updated", ["updated_at"])',
    )
    schema = schema.replace(
        "export default defineSchema({",
        "export default defineSchema({\n  notes: defineTable({ text: v.string() }),",
    )
    write_schema(project, schema)
    assert run_app("convex", "codegen", cwd=project).returncode == 0  # the models follow the schema

    result = run_app("convex", "check", "--json", "--no-typecheck", cwd=project)

    assert result.returncode == 0, result.output
    assert {c["name"]: c for c in result.json()["checks"]}["contract"]["status"] == "passed"


def test_contract_declares_the_five_tables() -> None:
    model = contract_model()
    assert set(CONTRACT) == {"users", "messages", "agents", "liquidations", "prices"}
    assert model.tables["messages"].fields["user_id"].optional
    assert model.tables["users"].indexes == {"by_wallet": ("wallet_address",)}
