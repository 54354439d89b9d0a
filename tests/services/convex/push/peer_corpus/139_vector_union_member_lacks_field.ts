// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DocumentSchema::is_vector_index_eligible @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// test: crates/common/src/schemas/tests.rs test_union_of_objects_only_one_has_vector_field_succeeds @ bea52bde0
// why: One member has an array of float64; the other lacks the field, which also counts as eligible.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.union(v.object({ vector: v.optional(v.array(v.float64())) }), v.object({ other: v.optional(v.string()) }))).vectorIndex("myVectorIndex", { vectorField: "vector", dimensions: 1536 } as any),
  }
);
