// verdict: accept
// backend: none
// source: crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// test: crates/common/src/schemas/tests.rs test_nested_optional_float64_vector_index_field_succeeds @ bea52bde0
// why: Nested optional object with an optional float64 array is eligible.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ myNestedObject: v.optional(v.object({ nestedField: v.optional(v.array(v.float64())) })) }).vectorIndex("myVectorIndex", { vectorField: "myNestedObject.nestedField", dimensions: 1536 } as any),
  }
);
