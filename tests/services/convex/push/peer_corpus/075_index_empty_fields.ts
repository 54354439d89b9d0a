// verdict: reject
// rule: push/index-no-fields
// backend: EmptyIndex
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_empty_index @ bea52bde0
// why: A database index with no fields is rejected.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ email: v.string() }).index("by_email", [] as any),
  }
);
