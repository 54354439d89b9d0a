// verdict: accept
// backend: none
// source: crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// test: crates/common/src/schemas/tests.rs test_nested_union_vector_eligible_types_succeeds @ bea52bde0
// why: A nested union containing an array of float64 is eligible.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ myNestedObject: v.optional(v.object({ nestedField: v.optional(v.union(v.array(v.float64()), v.any(), v.null())) })) }).vectorIndex("myVectorIndex", { vectorField: "myNestedObject.nestedField", dimensions: 1536 } as any),
  }
);
