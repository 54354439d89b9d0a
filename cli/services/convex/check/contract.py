"""The tables, fields and indexes the app relies on (docs/requirements.md, item 2), declared once.

schema.ts may add tables, fields and indexes; it may not drop, retype or change the
optionality of anything listed here, nor drop or change an index listed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cli.services.convex.schema import validators as tree
from cli.services.convex.schema.model import FieldModel, Labels, SchemaModel, TableModel, compare
from cli.services.convex.schema.validators import Validator
from cli.shared.report import Finding

# This file, as the check's advice names it (relative to the project root).
CONTRACT_FILE = "cli/services/convex/check/contract.py"


@dataclass(frozen=True)
class Optional:
    """A field validator wrapped in v.optional(...)."""

    validator: Validator


class _V:
    """`convex/values`' builders, so that the contract reads like schema.ts."""

    @staticmethod
    def string() -> Validator:
        return tree.String()

    @staticmethod
    def number() -> Validator:
        return tree.Float64()

    @staticmethod
    def int64() -> Validator:
        return tree.Int64()

    @staticmethod
    def boolean() -> Validator:
        return tree.Boolean()

    @staticmethod
    def id(table: str) -> Validator:
        return tree.Id(table)

    @staticmethod
    def literal(value: str | float | bool) -> Validator:
        return tree.Literal(value if isinstance(value, str | bool) else float(value))

    @staticmethod
    def array(item: Validator) -> Validator:
        return tree.Array(item)

    @staticmethod
    def union(*members: Validator) -> Validator:
        return tree.Union(members)

    @staticmethod
    def optional(validator: Validator) -> Optional:
        return Optional(validator)


v = _V()


@dataclass(frozen=True)
class TableContract:
    fields: Mapping[str, Validator | Optional]
    indexes: Mapping[str, Sequence[str]]


CONTRACT: Mapping[str, TableContract] = {
    "users": TableContract(
        fields={
            "wallet_address": v.string(),
            "username": v.string(),
            "bio": v.optional(v.string()),
            "created_at": v.number(),
        },
        indexes={"by_wallet": ["wallet_address"]},
    ),
    "messages": TableContract(
        fields={
            "user_id": v.optional(v.id("users")),
            "agent_id": v.optional(v.id("agents")),
            "content": v.string(),
            "message_type": v.union(v.literal("chat"), v.literal("trade"), v.literal("liquidation")),
            "created_at": v.number(),
        },
        indexes={"by_created": ["created_at"]},
    ),
    "agents": TableContract(
        fields={
            "name": v.string(),
            "persona": v.string(),
            "activity_level": v.number(),
            "is_active": v.boolean(),
        },
        indexes={},
    ),
    "liquidations": TableContract(
        fields={
            "address": v.string(),
            "collateral_type": v.string(),
            "collateral_amount": v.string(),
            "usd_value": v.number(),
            "tx_hash": v.string(),
            "created_at": v.number(),
        },
        indexes={"by_created": ["created_at"]},
    ),
    "prices": TableContract(
        fields={
            "symbol": v.string(),
            "price_usd": v.number(),
            "change_24h": v.number(),
            "updated_at": v.number(),
        },
        indexes={"by_symbol": ["symbol"]},
    ),
}


def contract_model(contract: Mapping[str, TableContract] = CONTRACT) -> SchemaModel:
    tables = {}
    for name, table in contract.items():
        fields = {
            fname: FieldModel(spec.validator, True) if isinstance(spec, Optional) else FieldModel(spec, False)
            for fname, spec in table.fields.items()
        }
        tables[name] = TableModel(fields, {i: tuple(f) for i, f in table.indexes.items()})
    return SchemaModel(tables)


def check_contract(
    schema: SchemaModel, schema_file: str, contract: Mapping[str, TableContract] = CONTRACT
) -> list[Finding]:
    """How `schema` (read from `schema_file`) differs from what the app relies on."""
    labels = Labels(prefix="contract", expected="the app's contract", actual=schema_file)
    return compare(contract_model(contract), schema, labels, extras=False)


def contract_size(contract: Mapping[str, TableContract] = CONTRACT) -> tuple[int, int, int]:
    """Tables, fields and indexes in the contract, for the summary line."""
    return (
        len(contract),
        sum(len(t.fields) for t in contract.values()),
        sum(len(t.indexes) for t in contract.values()),
    )
