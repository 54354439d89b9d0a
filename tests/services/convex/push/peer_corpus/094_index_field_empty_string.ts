// verdict: reject
// rule: push/index-field-path
// backend: InvalidIndexField
// source: crates/common/src/schemas/json.rs TryFrom<IndexSchemaJson> for IndexSchema @ 94a42c3db; crates/value/src/field_path.rs FieldPath::from_str @ 94a42c3db
// why: An empty path is rejected ("Empty path").
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string() }).index("by_nothing", [""] as any),
  }
);
