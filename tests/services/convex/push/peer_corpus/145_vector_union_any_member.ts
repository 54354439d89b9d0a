// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DocumentSchema::is_vector_index_eligible @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// test: crates/common/src/schemas/tests.rs test_union_same_field_any_and_vector_index_field_succeeds @ bea52bde0
// why: Members with v.any() and an array of float64 are both eligible.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.union(v.object({ myField: v.optional(v.any()) }), v.object({ myField: v.array(v.float64()) }))).vectorIndex("myVectorIndex", { vectorField: "myField", dimensions: 1536 } as any),
  }
);
