// verdict: reject
// rule: push/vector-field-type
// backend: SchemaDefinitionError
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// test: crates/common/src/schemas/tests.rs test_nested_union_of_objects_both_have_field_neither_is_vector_fails @ bea52bde0
// why: Both nested members have the field and neither is an array of float64.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ object: v.optional(v.union(v.object({ vector: v.optional(v.int64()) }), v.object({ vector: v.optional(v.string()) }))) }).vectorIndex("myVectorIndex", { vectorField: "object.vector", dimensions: 1536 } as any),
  }
);
