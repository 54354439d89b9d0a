// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DatabaseSchema::check_index_references @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// test: crates/common/src/schemas/tests.rs test_optional_vector_index_field_succeeds @ bea52bde0
// why: An optional array of float64 is vector-eligible (optionality is ignored).
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ embedding: v.optional(v.array(v.float64())) }).vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 1536 } as any),
  }
);
