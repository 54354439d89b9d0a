// verdict: reject
// rule: push/index-repeated-field
// backend: FieldsNotUniqueWithinIndex
// source: crates/common/src/schemas/json.rs TryFrom<IndexSchemaJson> for IndexSchema @ 94a42c3db; crates/common/src/bootstrap_model/index/database_index/indexed_fields.rs TryFrom<Vec<FieldPath>> for IndexedFields @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_index_fields_not_unique @ bea52bde0
// why: A field may appear only once within an index.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ email: v.string() }).index("by_email", ["email", "email"]),
  }
);
