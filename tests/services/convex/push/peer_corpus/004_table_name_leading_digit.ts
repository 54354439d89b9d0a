// verdict: reject
// rule: push/table-name
// backend: InvalidTableName
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db; crates/value/src/table_name.rs TableName::from_str @ 94a42c3db
// test: crates/convex/sync_types/src/identifier.rs test_regular_char_as_identifier_start @ bea52bde0
// why: Identifiers must start with a letter or underscore, so "9abc" is an invalid table name.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    "9abc": defineTable({ a: v.string() }),
  }
);
