// verdict: reject
// rule: push/same-index-fields
// backend: IndexNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_index_paths_not_unique @ bea52bde0
// why: Two database indexes with identical field lists are rejected.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ email: v.string() }).index("by_email", ["email"]).index("by_email2", ["email"]),
  }
);
