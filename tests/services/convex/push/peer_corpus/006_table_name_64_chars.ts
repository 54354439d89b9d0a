// verdict: accept
// backend: none
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db; crates/value/src/table_name.rs TableName::from_str @ 94a42c3db
// why: A 64-byte table name is exactly the identifier limit and is accepted.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt: defineTable({ a: v.string() }),
  }
);
