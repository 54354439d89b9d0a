// verdict: accept
// backend: none
// source: crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// why: is_valid_vector_validator accepts Array(Any).
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ embedding: v.array(v.any()) }).vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 1536 } as any),
  }
);
