// verdict: accept
// backend: none
// source: crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_can_contain_field @ 94a42c3db
// test: crates/common/src/schemas/tests.rs test_nested_union_of_objects_only_one_has_vector_field_succeeds @ bea52bde0
// why: Inside a nested union of objects, one has the vector and the other lacks it.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ object: v.optional(v.union(v.object({ vector: v.optional(v.array(v.float64())) }), v.object({ other: v.optional(v.string()) }))) }).vectorIndex("myVectorIndex", { vectorField: "object.vector", dimensions: 1536 } as any),
  }
);
