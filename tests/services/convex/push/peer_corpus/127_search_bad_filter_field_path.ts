// verdict: reject
// rule: push/index-field-path
// backend: InvalidIndexField
// source: crates/common/src/schemas/json.rs TryFrom<TextIndexSchemaJson> for TextIndexSchema @ 94a42c3db; crates/value/src/field_path.rs FieldPath::from_str @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_invalid_search_filter_field_name @ bea52bde0
// why: "_" is not a valid filter field path.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.any()).searchIndex("index_name", { searchField: "field", filterFields: ["_"] } as any),
  }
);
