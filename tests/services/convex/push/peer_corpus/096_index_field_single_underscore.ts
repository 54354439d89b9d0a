// verdict: reject
// rule: push/index-field-path
// backend: InvalidIndexField
// source: crates/common/src/schemas/json.rs TryFrom<IndexSchemaJson> for IndexSchema @ 94a42c3db; crates/value/src/field_path.rs FieldPath::from_str @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_invalid_field_name @ bea52bde0
// why: "_" fails identifier parsing as a path part (InvalidIndexField), before any reserved-field rule.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.any()).index("by_invalid", ["_"] as any),
  }
);
