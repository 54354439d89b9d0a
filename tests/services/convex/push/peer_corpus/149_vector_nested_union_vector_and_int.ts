// verdict: accept
// backend: none
// source: crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// test: crates/common/src/schemas/tests.rs test_nested_union_vector_and_int_index_field_succeeds @ bea52bde0
// why: Union(array of float64, int64) overlaps with an array of float64.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ myNestedObject: v.optional(v.object({ nestedField: v.optional(v.union(v.array(v.float64()), v.int64())) })) }).vectorIndex("myVectorIndex", { vectorField: "myNestedObject.nestedField", dimensions: 1536 } as any),
  }
);
