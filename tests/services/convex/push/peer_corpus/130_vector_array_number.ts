// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// test: crates/common/src/schemas/tests.rs test_float64_vector_index_field_succeeds @ bea52bde0
// why: v.number() is float64, so v.array(v.number()) is eligible.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ embedding: v.array(v.number()) }).vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 1536 } as any),
  }
);
