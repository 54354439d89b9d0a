// verdict: reject
// rule: push/index-system-field
// backend: IndexFieldsContainId
// source: crates/common/src/schemas/json.rs TryFrom<IndexSchemaJson> for IndexSchema @ 94a42c3db; crates/common/src/bootstrap_model/index/database_index/indexed_fields.rs TryFrom<Vec<FieldPath>> for IndexedFields @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_index_fields_contain_id @ bea52bde0
// why: "_id" is appended implicitly and may not be listed as an index field.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ a: v.string() }).index("my_index", ["_id"] as any),
  }
);
