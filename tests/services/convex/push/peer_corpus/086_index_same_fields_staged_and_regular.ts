// verdict: reject
// rule: push/same-index-fields
// backend: IndexNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// why: The same-fields check spans enabled and staged database indexes.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string() }).index("by_a", ["a"]).index("by_a_staged", { fields: ["a"], staged: true }),
  }
);
