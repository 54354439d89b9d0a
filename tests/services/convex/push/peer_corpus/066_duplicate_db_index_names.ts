// verdict: reject
// rule: push/duplicate-index
// backend: IndexNamesNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_index_names_not_unique @ bea52bde0
// why: Two database indexes share the name "by_email".
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ email: v.string(), email2: v.string() }).index("by_email", ["email"]).index("by_email", ["email2"]),
  }
);
