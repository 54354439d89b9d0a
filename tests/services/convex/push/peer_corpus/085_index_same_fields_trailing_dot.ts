// verdict: reject
// rule: push/same-index-fields
// also: warning push/index-field-normalized
// backend: IndexNotUnique
// source: crates/common/src/schemas/json.rs TryFrom<TableDefinitionJson> for TableDefinition @ 94a42c3db; crates/value/src/field_path.rs FieldPath::from_str @ 94a42c3db
// why: "b." normalizes to "b", so the two field lists are identical.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string(), b: v.string() }).index("by_ab", ["a", "b"]).index("by_ab2", ["a", "b."] as any),
  }
);
