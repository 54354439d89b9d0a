// verdict: reject
// rule: push/vector-field-type
// backend: SchemaDefinitionError
// source: crates/common/src/schemas/mod.rs DocumentSchema::is_vector_index_eligible @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// test: crates/common/src/schemas/tests.rs test_union_same_field_name_both_not_vector_fields_fails @ bea52bde0
// why: Every member has the field and none is an array of float64.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.union(v.object({ myField: v.string() }), v.object({ myField: v.float64() }))).vectorIndex("myVectorIndex", { vectorField: "myField", dimensions: 1536 } as any),
  }
);
