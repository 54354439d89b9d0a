// verdict: reject
// rule: push/index-no-fields
// backend: EmptyIndex
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db
// why: Staged database indexes also need at least one field.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string() }).index("by_nothing", { fields: [] as any, staged: true }),
  }
);
