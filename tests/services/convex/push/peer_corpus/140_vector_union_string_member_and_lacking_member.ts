// verdict: accept
// backend: none
// source: crates/common/src/schemas/mod.rs DocumentSchema::is_vector_index_eligible @ 94a42c3db; crates/common/src/schemas/validator.rs Validator::_overlaps_with_array_float64 @ 94a42c3db
// why: No member has an array, but the member lacking "embedding" makes _overlaps_with_array_float64 return true (unwrap_or(true)).
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema(
  {
    things: defineTable(v.union(v.object({ embedding: v.string() }), v.object({ text: v.string() }))).vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 1536 } as any),
  }
);
