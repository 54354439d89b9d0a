// verdict: reject
// rule: push/table-name
// backend: InvalidTableName
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db; crates/value/src/table_name.rs TableName::from_str @ 94a42c3db
// why: A 65-byte table name exceeds MAX_IDENTIFIER_LEN (64).
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt: defineTable({ a: v.string() }),
  }
);
