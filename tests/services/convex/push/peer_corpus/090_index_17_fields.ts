// verdict: reject
// rule: push/index-too-many-fields
// backend: IndexTooManyFields
// source: crates/common/src/schemas/json.rs TryFrom<IndexSchemaJson> for IndexSchema @ 94a42c3db; crates/common/src/bootstrap_model/index/database_index/indexed_fields.rs TryFrom<Vec<FieldPath>> for IndexedFields @ 94a42c3db
// test: crates/common/src/testing/schema.rs test_too_many_fields @ bea52bde0
// why: 17 fields exceed MAX_INDEX_FIELDS_SIZE already in the parser.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ f0: v.string(), f1: v.string(), f2: v.string(), f3: v.string(), f4: v.string(), f5: v.string(), f6: v.string(), f7: v.string(), f8: v.string(), f9: v.string(), f10: v.string(), f11: v.string(), f12: v.string(), f13: v.string(), f14: v.string(), f15: v.string(), f16: v.string() }).index("by_toomany", ["f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12", "f13", "f14", "f15", "f16"]),
  }
);
