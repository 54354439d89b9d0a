"""Valid schema.ts files of any size, for the size tests and `make bench`.

Every table has the app's contract tables' shape in miniature: varied validators, an
optional field, a nested object, a database index and a search index, so that each rule
and the contract run over every table.
"""

from __future__ import annotations

from tests.support.project import SCHEMA_HEADER, project_schema

FIELD_KINDS = (
    "v.string()",
    "v.number()",
    "v.boolean()",
    "v.int64()",
    'v.union(v.literal("a"), v.literal("b"))',
    "v.optional(v.string())",
    "v.array(v.float64())",
    "v.object({ x: v.string(), y: v.optional(v.number()) })",
    "v.record(v.string(), v.number())",
    'v.id("users")',
    "v.bytes()",
    "v.null()",
)


def large_schema(tables: int, fields: int) -> str:
    """The app's own tables plus `tables` generated ones of `fields` fields each."""
    base = project_schema().split("export default defineSchema({", 1)[1].rsplit("});", 1)[0].rstrip()
    lines = [SCHEMA_HEADER, "export default defineSchema({", base.rstrip(",") + ","]
    for t in range(tables):
        columns = ", ".join(f"f{i}: {FIELD_KINDS[i % len(FIELD_KINDS)]}" for i in range(fields))
        lines.append(
            f"  t{t}: defineTable({{ {columns} }})"
            f'.index("by_f0", ["f0"]).index("by_f0_f1", ["f0", "f1"])'
            f'.searchIndex("search_f0", {{ searchField: "f0", filterFields: ["f2"] }}),'
        )
    lines.append("});")
    return "\n".join(lines) + "\n"
