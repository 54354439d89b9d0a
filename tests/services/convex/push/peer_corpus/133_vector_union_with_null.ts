// verdict: accept
// backend: none
// source: crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// why: A union is eligible when any member is an array of float64.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable({ embedding: v.union(v.array(v.float64()), v.null()) }).vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 1536 } as any),
  }
);
