// verdict: reject
// rule: push/table-name
// backend: InvalidTableName
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db; crates/value/src/table_name.rs TableName::from_str @ 94a42c3db
// why: The table name "bad-name" is not an identifier, so TableName parsing fails.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    "bad-name": defineTable({ a: v.string() }),
  }
);
