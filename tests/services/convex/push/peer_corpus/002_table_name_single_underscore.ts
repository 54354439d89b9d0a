// verdict: reject
// rule: push/table-name
// backend: InvalidTableName
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db; crates/value/src/table_name.rs TableName::from_str @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_invalid_table_name @ bea52bde0
// why: "_" consists only of underscores, so it fails identifier parsing (InvalidTableName) before the reserved-name check runs.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    _: defineTable({ a: v.string() }),
  }
);
