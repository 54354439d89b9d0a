// verdict: reject
// rule: push/index-repeated-field
// also: warning push/index-field-normalized
// backend: FieldsNotUniqueWithinIndex
// source: crates/value/src/field_path.rs FieldPath::from_str @ 94a42c3db; crates/common/src/bootstrap_model/index/database_index/indexed_fields.rs TryFrom<Vec<FieldPath>> for IndexedFields @ 94a42c3db
// why: "a." is trimmed to "a" before the duplicate check, so the index repeats "a".
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string() }).index("by_a_a", ["a", "a."] as any),
  }
);
