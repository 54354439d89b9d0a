// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DocumentSchema::is_vector_index_eligible @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// test: crates/common/src/schemas/tests.rs test_union_same_field_one_vector_field_succeeds @ bea52bde0
// why: One member is an optional array of float64.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.union(v.object({ myField: v.optional(v.array(v.float64())) }), v.object({ myField: v.float64() }))).vectorIndex("myVectorIndex", { vectorField: "myField", dimensions: 1536 } as any),
  }
);
