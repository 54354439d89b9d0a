// verdict: reject
// rule: push/index-field-path
// backend: InvalidIndexField
// source: crates/common/src/schemas/json.rs TryFrom<VectorIndexSchemaJson> for VectorIndexSchema @ 94a42c3db; crates/value/src/field_path.rs FieldPath::from_str @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_invalid_vector_filter_field_name @ bea52bde0
// why: Vector filter field syntax is checked even though existence is not.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.any()).vectorIndex("index_name", { vectorField: "fieldName", dimensions: 1536, filterFields: ["_"] } as any),
  }
);
